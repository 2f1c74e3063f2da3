package org.archivebridge.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP presets for the archive-bridge C API: the build parses the public headers into
 * {@code org.archivebridge.binding.ArchiveBridgeLibrary} and compiles its JNI library against the static
 * {@code libarchive_bridge.a}. The include and link paths come from the build, not from here, so the
 * presets do not depend on where the native module puts its output. Libraries are listed dependencies first, as
 * JavaCPP expects: it passes them to the linker in reverse, so the static library comes before what it needs.
 */
@Properties(
    target = "org.archivebridge.binding.ArchiveBridgeLibrary",
    value = @Platform(
        include = { "abr/abr_common.h", "abr/abr_error.h", "abr/abr_client.h", "abr/abr_archive.h", "abr/abr_recording.h" },
        link = { "rt", "pthread", "archive_bridge" }))
public class ArchiveBridgePresets implements InfoMapper
{
    /** Live instances allowed per archive callback class: at most this many NativeArchive clients at once. */
    public static final int CLIENT_CALLBACK_SLOTS = 256;

    @Override
    public void map(final InfoMap infoMap)
    {
        // Visibility and extern "C" wrappers carry no meaning for Java.
        infoMap.put(new Info("ABR_EXPORT", "ABR_EXTERN_C_BEGIN", "ABR_EXTERN_C_END").cppTypes().annotations());

        // A macro whose value is C's true; the parser would otherwise type it int.
        infoMap.put(new Info("ABR_ARCHIVE_CONTROL_TERM_BUFFER_SPARSE_DEFAULT").cppTypes("bool"));

        // Callback types get Java names; valueTypes too, so parameters take them as plain function pointers.
        callback(infoMap, "abr_fragment_handler_t", "FragmentHandlerCallback");
        callback(infoMap, "abr_controlled_fragment_handler_t", "ControlledFragmentHandlerCallback");
        callback(infoMap, "abr_image_handler_t", "ImageHandlerCallback");
        callback(infoMap, "abr_recording_started_func_t", "RecordingStartedCallback");
        callback(infoMap, "abr_recording_progress_func_t", "RecordingProgressCallback");
        callback(infoMap, "abr_recording_stopped_func_t", "RecordingStoppedCallback");
        callback(infoMap, "abr_epoch_clock_func_t", "EpochClockCallback");
        addressOffers(infoMap);

        // Every NativeArchive holds one of each of these for its whole life, and every connect with credentials one
        // of the last three: JavaCPP's default of 10 live instances per callback class would leave the 11th client
        // with a NULL function pointer, so these get a pool of CLIENT_CALLBACK_SLOTS.
        pooledCallback(infoMap, "abr_archive_recording_descriptor_consumer_t", "RecordingDescriptorConsumerCallback",
            "void", "Pointer clientd, abr_archive_recording_descriptor_t descriptor");
        pooledCallback(infoMap, "abr_archive_recording_descriptor_batch_func_t", "RecordingDescriptorBatchCallback",
            "void", "Pointer clientd, @Cast(\"const uint8_t*\") BytePointer buffer, @Cast(\"size_t\") long length, " +
            "int count");
        pooledCallback(
            infoMap,
            "abr_archive_recording_subscription_descriptor_consumer_t",
            "RecordingSubscriptionDescriptorConsumerCallback",
            "void",
            "Pointer clientd, abr_archive_recording_subscription_descriptor_t descriptor");
        pooledCallback(infoMap, "abr_archive_recording_signal_consumer_t", "RecordingSignalConsumerCallback",
            "void", "Pointer clientd, abr_archive_recording_signal_t signal");
        pooledCallback(infoMap, "abr_archive_error_handler_t", "ErrorHandlerCallback", "void",
            "Pointer clientd, int error_code, @Cast(\"int64_t\") long correlation_id, " +
            "@Cast(\"const char*\") BytePointer message");
        pooledCallback(infoMap, "abr_archive_persistent_subscription_event_func_t",
            "PersistentSubscriptionEventCallback", "void", "Pointer clientd");
        pooledCallback(infoMap, "abr_archive_persistent_subscription_error_func_t",
            "PersistentSubscriptionErrorCallback", "void", "Pointer clientd, int code, int reason, " +
            "@Cast(\"const char*\") BytePointer message, @Cast(\"bool\") boolean terminal");
        pooledCallback(infoMap, "abr_archive_encoded_credentials_func_t", "EncodedCredentialsCallback", "int",
            "Pointer clientd, abr_archive_credentials_t credentials");
        pooledCallback(infoMap, "abr_archive_on_challenge_func_t", "OnChallengeCallback", "int",
            "Pointer clientd, @Cast(\"const uint8_t*\") BytePointer challenge, " +
            "@Cast(\"uint32_t\") int challenge_length, abr_archive_credentials_t response");
        pooledCallback(infoMap, "abr_archive_free_credentials_func_t", "FreeCredentialsCallback", "void",
            "Pointer clientd, abr_archive_credentials_t credentials");
    }

    /*
     * Offers take the message's native address as a plain long, so the Java layer hands C an off-heap buffer (or its
     * scratch copy of a heap one) without allocating a Pointer per message.
     */
    private static void addressOffers(final InfoMap infoMap)
    {
        for (final String kind : new String[] { "publication", "exclusive_publication" })
        {
            final String name = "abr_" + kind + "_offer";
            infoMap.put(new Info(name).javaText(
                "public static native @Cast(\"int64_t\") long " + name + "(abr_" + kind + "_t publication, " +
                "@Cast(\"const uint8_t*\") long buffer, @Cast(\"size_t\") long length);"));
        }
    }

    private static void callback(final InfoMap infoMap, final String cName, final String javaName)
    {
        infoMap.put(new Info(cName).valueTypes(javaName).pointerTypes(javaName));
    }

    /*
     * A callback class written out here rather than by the parser, for the one thing the parser cannot say: how many
     * instances may be alive at once (JavaCPP's @Allocator max, one C thunk per slot, 10 by default). An instance
     * beyond the pool gets no thunk (address 0), which the Java API reports as too many live clients.
     */
    private static void pooledCallback(
        final InfoMap infoMap,
        final String cName,
        final String javaName,
        final String returnType,
        final String parameters)
    {
        infoMap.put(new Info(cName).valueTypes(javaName).pointerTypes(javaName).javaText(
            "public static class " + javaName + " extends FunctionPointer {\n" +
            "    static { Loader.load(); }\n" +
            "    public " + javaName + "(Pointer p) { super(p); }\n" +
            "    protected " + javaName + "() { allocate(); }\n" +
            "    @Allocator(max = " + CLIENT_CALLBACK_SLOTS + ") private native void allocate();\n" +
            "    public native " + returnType + " call(" + parameters + ");\n" +
            "}\n"));
    }
}
