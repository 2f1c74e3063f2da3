package org.archivebridge;

import io.aeron.archive.client.ReplayParams;
import io.aeron.archive.client.ReplicationParams;
import io.aeron.archive.codecs.RecordingSignal;
import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_credentials_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_descriptor_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_signal_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_recording_subscription_descriptor_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_params_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replication_params_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_publication_mapping_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FunctionPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Opaque;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_params_describe;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replication_params_describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/*
 * Every struct that crosses JavaCPP, field by field, with a distinct value per field (issue 10, defect 1: the replay
 * params conversion called Pointer.position(long), which moves the pointer, where it meant the struct's position
 * field, which JavaCPP renames _position). Java to C: what the API's own conversion writes is read back in C
 * (abr_archive_replay_params_describe and abr_archive_replication_params_describe) or at the C compiler's offsets.
 * C to Java: values put at the C offsets reach the user's consumer through the API's own dispatchers. And every
 * generated accessor of every struct in the public headers reads and writes its own field at its C offset.
 */
class NativeStructRoundTripTest
{
    private static final Path HEADERS = Path.of("..", "native", "include", "abr");

    @Test
    void replayParamsReachCFieldForField()
    {
        assertReplayParamsInC(new ReplayParams(),
            "position=-1 length=-1 bounding_limit_counter_id=-1 file_io_max_length=-1 replay_token=-1 " +
            "subscription_registration_id=-1");
        assertReplayParamsInC(null,
            "position=-1 length=-1 bounding_limit_counter_id=-1 file_io_max_length=-1 replay_token=-1 " +
            "subscription_registration_id=-1");
        final ReplayParams distinct = new ReplayParams()
            .position(0x1111_2222_3333_0000L).length(0x0444_5555_6666L).boundingLimitCounterId(0x7777)
            .fileIoMaxLength(0x8888).replayToken(0x0999_AAAA_BBBBL);
        distinct.subscriptionRegistrationId(0x0CCC_DDDD_EEEEL);
        assertReplayParamsInC(distinct,
            "position=" + 0x1111_2222_3333_0000L + " length=" + 0x0444_5555_6666L + " bounding_limit_counter_id=" +
            0x7777 + " file_io_max_length=" + 0x8888 + " replay_token=" + 0x0999_AAAA_BBBBL +
            " subscription_registration_id=" + 0x0CCC_DDDD_EEEEL);
        final ReplayParams extremes = new ReplayParams()
            .position(Long.MAX_VALUE).length(Long.MIN_VALUE).boundingLimitCounterId(Integer.MIN_VALUE)
            .fileIoMaxLength(Integer.MAX_VALUE).replayToken(0);
        extremes.subscriptionRegistrationId(1);
        assertReplayParamsInC(extremes,
            "position=9223372036854775807 length=-9223372036854775808 bounding_limit_counter_id=-2147483648 " +
            "file_io_max_length=2147483647 replay_token=0 subscription_registration_id=1");
        assertReplayParamsInC(new ReplayParams().position(32).length(NativeArchive.REPLAY_ALL_AND_STOP),
            "position=32 length=-2 bounding_limit_counter_id=-1 file_io_max_length=-1 replay_token=-1 " +
            "subscription_registration_id=-1");
    }

    @Test
    void replicationParamsReachCFieldForField()
    {
        assertReplicationParamsInC(new ReplicationParams(),
            "stop_position=-1 dst_recording_id=-1 live_destination=null replication_channel=null channel_tag_id=-1 " +
            "subscription_tag_id=-1 file_io_max_length=-1 replication_session_id=-1 encoded_credentials=null " +
            "encoded_credentials_length=0 src_response_channel=null");
        final ReplicationParams distinct = new ReplicationParams()
            .stopPosition(0x1111_0000L).dstRecordingId(0x2222_0000L)
            .liveDestination("aeron:udp?endpoint=localhost:3333")
            .replicationChannel("aeron:udp?endpoint=localhost:4444|alias=é")
            .channelTagId(0x5555_0000L).subscriptionTagId(0x6666_0000L).fileIoMaxLength(0x7777)
            .encodedCredentials(new byte[] { 0x00, (byte)0xfe, 0x41 })
            .srcResponseChannel("aeron:udp?endpoint=localhost:9999");
        assertReplicationParamsInC(distinct,
            "stop_position=" + 0x1111_0000L + " dst_recording_id=" + 0x2222_0000L +
            " live_destination='aeron:udp?endpoint=localhost:3333'" +
            " replication_channel='aeron:udp?endpoint=localhost:4444|alias=é'" +
            " channel_tag_id=" + 0x5555_0000L + " subscription_tag_id=" + 0x6666_0000L +
            " file_io_max_length=" + 0x7777 + " replication_session_id=-1 encoded_credentials=00fe41" +
            " encoded_credentials_length=3 src_response_channel='aeron:udp?endpoint=localhost:9999'");
        assertReplicationParamsInC(new ReplicationParams().replicationSessionId(0x0BBB).stopPosition(0),
            "stop_position=0 dst_recording_id=-1 live_destination=null replication_channel=null channel_tag_id=-1 " +
            "subscription_tag_id=-1 file_io_max_length=-1 replication_session_id=" + 0x0BBB +
            " encoded_credentials=null encoded_credentials_length=0 src_response_channel=null");
    }

    @Test
    void recordingDescriptorRecordReachesTheConsumerFieldForField()
    {
        final List<Object> written = List.of(0x0101L, 0x0202L, 0x0303L, Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0x0707L,
            0x08, 0x09, Integer.MIN_VALUE, Integer.MAX_VALUE, -1, 0x0d, "stripped-é", "", "source-identity");
        final List<Object> received = new ArrayList<>();
        final RecordingDescriptorDispatcher dispatcher = new RecordingDescriptorDispatcher();
        final int length = DescriptorRecords.write(
            new UnsafeBuffer(dispatcher.buffer().address(), RecordingDescriptorDispatcher.CAPACITY), 0, written);
        dispatcher.begin((controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId,
            streamId, strippedChannel, originalChannel, sourceIdentity) -> received.addAll(List.of(
            controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp, startPosition,
            stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength, sessionId, streamId,
            strippedChannel, originalChannel, sourceIdentity)));
        dispatcher.dispatch(1, length);
        dispatcher.end();
        dispatcher.close();
        assertEquals(written, received);
    }

    @Test
    void recordingSubscriptionDescriptorReachesTheConsumerFieldForField()
    {
        try (PointerScope ignored = new PointerScope())
        {
            final abr_archive_recording_subscription_descriptor_t descriptor =
                new abr_archive_recording_subscription_descriptor_t();
            final Map<String, Object> written = fillDistinct(descriptor);
            final List<Object> received = new ArrayList<>();
            final NativeArchiveCallbacks callbacks = new NativeArchiveCallbacks(null, null);
            callbacks.subscriptions.begin((controlSessionId, correlationId, subscriptionId, streamId,
                strippedChannel) -> received.addAll(
                List.of(controlSessionId, correlationId, subscriptionId, streamId, strippedChannel)));
            callbacks.subscriptions.call(null, descriptor);
            callbacks.subscriptions.end();
            callbacks.close();
            assertEquals(List.copyOf(written.values()), received);
        }
    }

    @Test
    void recordingSignalReachesTheConsumerFieldForField()
    {
        for (final RecordingSignal code : RecordingSignal.values())
        {
            try (PointerScope ignored = new PointerScope())
            {
                final abr_archive_recording_signal_t signal = new abr_archive_recording_signal_t();
                final Map<String, Object> written = fillDistinct(signal);
                new UnsafeBuffer(signal.address(), (int)Loader.sizeof(abr_archive_recording_signal_t.class))
                    .putInt(offset(abr_archive_recording_signal_t.class, "recording_signal_code"), code.value());
                written.put("recording_signal_code", code);
                final List<Object> received = new ArrayList<>();
                final NativeArchiveCallbacks callbacks = new NativeArchiveCallbacks(
                    (controlSessionId, correlationId, recordingId, subscriptionId, position, recordingSignal) ->
                    received.addAll(List.of(
                        controlSessionId, correlationId, recordingId, subscriptionId, position, recordingSignal)),
                    null);
                callbacks.signals.call(null, signal);
                callbacks.rethrowFailure();
                callbacks.close();
                assertEquals(List.copyOf(written.values()), received, code.name());
            }
        }
    }

    @Test
    void credentialsReachTheCStructFieldForField()
    {
        final byte[] encoded = { 7, 0, (byte)0x80, 42, -1 };
        final byte[] answer = { 9, 8 };
        final NativeCredentialsBridge bridge = new NativeCredentialsBridge(new io.aeron.security.CredentialsSupplier()
        {
            public byte[] encodedCredentials()
            {
                return encoded;
            }

            public byte[] onChallenge(final byte[] challenge)
            {
                return answer;
            }
        });
        try (abr_archive_credentials_t credentials = new abr_archive_credentials_t();
            BytePointer challenge = new BytePointer(new byte[] { 1 }))
        {
            assertEquals(0, bridge.encoded.call(null, credentials));
            assertArrayEquals(encoded, credentialsInC(credentials));
            bridge.free.call(null, credentials);
            assertEquals(0, bridge.challenge.call(null, challenge, 1, credentials));
            assertArrayEquals(answer, credentialsInC(credentials));
            bridge.free.call(null, credentials);
        }
        finally
        {
            bridge.close();
        }
    }

    @Test
    void publicationMappingReachesTheAppenderFieldForField()
    {
        try (PointerScope ignored = new PointerScope())
        {
            final abr_publication_mapping_t mapping = new abr_publication_mapping_t();
            final Map<String, Object> written = fillDistinct(mapping);
            assertEquals(written.get("position_limit"), NativePublication.positionLimit(mapping).addressOffset());
            assertEquals(written.get("client_closed"), NativePublication.clientClosed(mapping).addressOffset());
            assertEquals(written.get("log"), mapping.log().address());
            assertEquals(written.get("log_length"), mapping.log_length());
            assertEquals(written.get("term_length"), mapping.term_length());
        }
    }

    /*
     * Every field of every struct in the public headers has a generated accessor pair, and both accessors work on
     * that field at the offset the C compiler gives it: a value set through the Java setter is in memory at the C
     * offset, a value put at the C offset is what the Java getter returns, and no two fields share bytes.
     */
    @Test
    void everyGeneratedAccessorWorksOnItsOwnFieldAtItsCOffset() throws IOException
    {
        final Map<String, List<String>> headerStructs = headerStructFields();
        assertTrue(headerStructs.size() >= 13, "structs found in the headers: " + headerStructs.keySet());
        final Map<String, Class<? extends Pointer>> generated = generatedStructs();
        for (final Map.Entry<String, List<String>> struct : headerStructs.entrySet())
        {
            final Class<? extends Pointer> type = generated.get(struct.getKey());
            assertTrue(type != null, "no generated class for " + struct.getKey() + " among " + generated.keySet());
            final Map<String, Accessor> accessors = accessors(type);
            final Set<String> arrays = charArrayFields(type);
            final Set<String> javaFields = new TreeSet<>(accessors.keySet());
            javaFields.addAll(arrays);
            assertEquals(new TreeSet<>(struct.getValue()), javaFields,
                "the fields of " + struct.getKey() + " in the header and in " + type.getSimpleName());
            checkAccessors(type, accessors);
            arrays.forEach((field) -> checkCharArray(type, field));
        }
    }

    private static void assertReplayParamsInC(final ReplayParams params, final String expected)
    {
        try (abr_archive_replay_params_t nativeParams = ArchiveParamsConversion.replayParams(params);
            BytePointer description = new BytePointer(512))
        {
            final int length = abr_archive_replay_params_describe(nativeParams, description, 512);
            assertEquals(expected, cString(description));
            assertEquals(expected.length(), length);
        }
    }

    private static void assertReplicationParamsInC(final ReplicationParams params, final String expected)
    {
        try (PointerScope ignored = new PointerScope(); BytePointer description = new BytePointer(1024))
        {
            final abr_archive_replication_params_t nativeParams = ArchiveParamsConversion.replicationParams(params);
            final int length = abr_archive_replication_params_describe(nativeParams, description, 1024);
            assertEquals(expected, cString(description));
            assertEquals(expected.getBytes(StandardCharsets.UTF_8).length, length);
        }
    }

    /* The NUL-terminated text C wrote (a limit of 0 makes JavaCPP read up to the NUL, not the whole buffer). */
    private static String cString(final BytePointer buffer)
    {
        return buffer.limit(0).getString(StandardCharsets.UTF_8);
    }

    private static byte[] credentialsInC(final abr_archive_credentials_t credentials)
    {
        final UnsafeBuffer struct =
            new UnsafeBuffer(credentials.address(), (int)Loader.sizeof(abr_archive_credentials_t.class));
        final long data = struct.getLong(offset(abr_archive_credentials_t.class, "data"));
        final int length = struct.getInt(offset(abr_archive_credentials_t.class, "length"));
        final byte[] bytes = new byte[length];
        new UnsafeBuffer(data, length).getBytes(0, bytes);
        return bytes;
    }

    /*
     * Put a distinct value into every field at its C offset, as C would: numbers from the field's index, strings
     * (const char *) as NUL-terminated copies of "<field>-value", other pointers as the address of a small block.
     * Returns what each field holds, in declaration order, as the Java consumer should see it.
     */
    private static Map<String, Object> fillDistinct(final Pointer struct)
    {
        final Map<String, Object> written = new LinkedHashMap<>();
        final Map<String, Accessor> accessors = accessors(struct.getClass());
        final UnsafeBuffer memory = new UnsafeBuffer(struct.address(), (int)Loader.sizeof(struct.getClass()));
        int index = 0;
        for (final Map.Entry<String, Accessor> field : accessors.entrySet())
        {
            index++;
            final Accessor accessor = field.getValue();
            final int at = offset(struct.getClass(), field.getKey());
            final Class<?> javaType = accessor.getter.getReturnType();
            if (javaType == long.class)
            {
                final long value = 0x0100_0000_0000_0000L * index + 0x0001_0203_0405_0607L * index;
                memory.putLong(at, value);
                written.put(field.getKey(), value);
            }
            else if (javaType == int.class)
            {
                final int value = 0x0101_0101 * index + 0x0302;
                memory.putInt(at, value);
                written.put(field.getKey(), value);
            }
            else if (isCString(accessor))
            {
                final String value = field.getKey() + "-value";
                final BytePointer text = new BytePointer(value, StandardCharsets.UTF_8);
                memory.putLong(at, text.address());
                written.put(field.getKey(), value);
            }
            else if (Pointer.class.isAssignableFrom(javaType))
            {
                final BytePointer block = new BytePointer(16);
                memory.putLong(at, block.address());
                written.put(field.getKey(), block.address());
            }
            else
            {
                throw new IllegalStateException("no distinct value for " + field.getKey() + " of " + javaType);
            }
        }
        return written;
    }

    private static boolean isCString(final Accessor accessor)
    {
        final org.bytedeco.javacpp.annotation.Cast cast =
            accessor.getter.getAnnotation(org.bytedeco.javacpp.annotation.Cast.class);
        return null != cast && Arrays.asList(cast.value()).contains("const char*");
    }

    private static int offset(final Class<? extends Pointer> type, final String field)
    {
        final int offset = Loader.offsetof(type, field);
        assertTrue(offset >= 0, "no C offset for " + type.getSimpleName() + "." + field);
        return offset;
    }

    /* Fields of a fixed char array (an image handle's source identity): a @MemberGetter for the array's address and a
     * getter and setter by index. */
    private static Set<String> charArrayFields(final Class<?> type)
    {
        final Set<String> fields = new TreeSet<>();
        for (final Method method : type.getDeclaredMethods())
        {
            if (null != method.getAnnotation(MemberGetter.class) && 0 == method.getParameterCount())
            {
                fields.add(method.getName());
            }
        }
        return fields;
    }

    /* The array lies at its C offset: its address is there, and bytes set by index are read back there. */
    private static void checkCharArray(final Class<? extends Pointer> type, final String field)
    {
        final int at = offset(type, field);
        try (PointerScope ignored = new PointerScope())
        {
            final Pointer struct = type.getConstructor().newInstance();
            final UnsafeBuffer memory = new UnsafeBuffer(struct.address(), (int)Loader.sizeof(type));
            memory.setMemory(0, memory.capacity(), (byte)0);
            final Pointer array = (Pointer)type.getMethod(field).invoke(struct);
            assertEquals(struct.address() + at, array.address(), type.getSimpleName() + "." + field + " address");
            type.getMethod(field, int.class, byte.class).invoke(struct, 1, (byte)'x');
            assertEquals((byte)'x', memory.getByte(at + 1), type.getSimpleName() + "." + field + "[1] at its offset");
            memory.putByte(at + 2, (byte)'y');
            assertEquals((byte)'y', type.getMethod(field, int.class).invoke(struct, 2));
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(type.getSimpleName() + "." + field, ex);
        }
    }

    private record Accessor(Method getter, Method setter)
    {
    }

    /* The generated field accessors of a struct class by C field name (a renamed one's @Name), in declaration order. */
    private static Map<String, Accessor> accessors(final Class<?> type)
    {
        final Map<String, Method> getters = new LinkedHashMap<>();
        final Map<String, Method> setters = new LinkedHashMap<>();
        for (final Method method : type.getDeclaredMethods())
        {
            if (!Modifier.isNative(method.getModifiers()) || !Modifier.isPublic(method.getModifiers()))
            {
                continue;
            }
            if (null != method.getAnnotation(MemberGetter.class))
            {
                continue;
            }
            if (0 == method.getParameterCount())
            {
                getters.put(method.getName(), method);
            }
            else if (1 == method.getParameterCount() && method.getReturnType() == type)
            {
                setters.put(method.getName(), method);
            }
        }
        final Map<String, Accessor> accessors = new LinkedHashMap<>();
        // Declaration order is not reflection's order: sort by the C offset, which is.
        final Map<Integer, String> byOffset = new TreeMap<>();
        for (final Map.Entry<String, Method> getter : getters.entrySet())
        {
            final Method setter = setters.get(getter.getKey());
            assertTrue(setter != null, type.getSimpleName() + "." + getter.getKey() + " has no setter");
            final Name name = getter.getValue().getAnnotation(Name.class);
            final String cName = null == name ? getter.getKey() : name.value()[0];
            @SuppressWarnings("unchecked") final int at = offset((Class<? extends Pointer>)type, cName);
            byOffset.put(at, cName);
            accessors.put(cName, new Accessor(getter.getValue(), setter));
        }
        final Map<String, Accessor> ordered = new LinkedHashMap<>();
        byOffset.values().forEach((cName) -> ordered.put(cName, accessors.get(cName)));
        assertEquals(accessors.size(), ordered.size(), type.getSimpleName() + ": two fields at one offset");
        return ordered;
    }

    private static void checkAccessors(final Class<? extends Pointer> type, final Map<String, Accessor> accessors)
    {
        final int size = (int)Loader.sizeof(type);
        try (PointerScope ignored = new PointerScope())
        {
            final Pointer struct = type.getConstructor().newInstance();
            final UnsafeBuffer memory = new UnsafeBuffer(struct.address(), size);
            memory.setMemory(0, size, (byte)0);
            final Map<String, Long> expected = new LinkedHashMap<>();
            final Map<String, Integer> functions = new LinkedHashMap<>();
            int index = 0;
            for (final Map.Entry<String, Accessor> field : accessors.entrySet())
            {
                index++;
                final String where = type.getSimpleName() + "." + field.getKey();
                final int at = offset(type, field.getKey());
                final Accessor accessor = field.getValue();
                final Class<?> javaType = accessor.getter.getReturnType();
                final int width = width(javaType);
                assertTrue(at + width <= size, where + " ends past sizeof " + size);

                // Java setter -> C offset.
                final Object javaValue = distinct(javaType, index);
                accessor.setter.invoke(struct, javaValue);
                final long inMemory = read(memory, at, width);
                if (FunctionPointer.class.isAssignableFrom(javaType))
                {
                    // A pooled callback's setter stores the native function of the object's pool slot, not the
                    // object's address, and its getter hands a callback object of its own rather than the field's
                    // value (Java never reads these fields back): the setter must store a function at this offset.
                    assertNotEquals(0L, inMemory, where + ": the setter stored no function at the C offset " + at);
                    functions.put(field.getKey(), at);
                    expected.put(field.getKey(), inMemory);
                    continue;
                }
                assertEquals(raw(javaValue), inMemory, where + ": the setter's value at the C offset " + at);
                expected.put(field.getKey(), inMemory);

                // C offset -> Java getter.
                final Object other = distinct(javaType, index + 100);
                write(memory, at, width, raw(other));
                assertEquals(raw(other), raw(accessor.getter.invoke(struct)),
                    where + ": the getter reads offset " + at);
                write(memory, at, width, inMemory);
            }
            for (final Map.Entry<String, Long> field : expected.entrySet())
            {
                final Accessor accessor = accessors.get(field.getKey());
                final Integer function = functions.get(field.getKey());
                final long now = null != function ?
                    read(memory, function, width(accessor.getter.getReturnType())) :
                    raw(accessor.getter.invoke(struct));
                assertEquals(field.getValue(), now,
                    type.getSimpleName() + "." + field.getKey() + " kept its value after every other field was set");
            }
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(type.getSimpleName(), ex);
        }
    }

    private static int width(final Class<?> javaType)
    {
        if (javaType == long.class || Pointer.class.isAssignableFrom(javaType))
        {
            return 8;
        }
        if (javaType == int.class)
        {
            return 4;
        }
        if (javaType == short.class)
        {
            return 2;
        }
        if (javaType == byte.class || javaType == boolean.class)
        {
            return 1;
        }
        throw new IllegalStateException("unexpected field type " + javaType);
    }

    private static Object distinct(final Class<?> javaType, final int index)
    {
        if (javaType == long.class)
        {
            return 0x0102_0304_0506_0708L * index;
        }
        if (javaType == int.class)
        {
            return 0x0102_0304 * index;
        }
        if (javaType == short.class)
        {
            return (short)(0x0102 * index);
        }
        if (javaType == byte.class)
        {
            return (byte)index;
        }
        if (javaType == boolean.class)
        {
            return 0 != index % 2;
        }
        // A block of its own per value, owned by the enclosing PointerScope; the cast is the setter's parameter type.
        final Pointer block = new BytePointer(16);
        try
        {
            return javaType.getConstructor(Pointer.class).newInstance(block);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(javaType.getName(), ex);
        }
    }

    private static long raw(final Object value)
    {
        if (value instanceof Long l)
        {
            return l;
        }
        if (value instanceof Integer i)
        {
            return i & 0xFFFF_FFFFL;
        }
        if (value instanceof Short s)
        {
            return s & 0xFFFFL;
        }
        if (value instanceof Byte b)
        {
            return b & 0xFFL;
        }
        if (value instanceof Boolean b)
        {
            return b ? 1 : 0;
        }
        return null == value ? 0 : ((Pointer)value).address();
    }

    private static long read(final UnsafeBuffer memory, final int at, final int width)
    {
        return switch (width)
        {
            case 8 -> memory.getLong(at);
            case 4 -> memory.getInt(at) & 0xFFFF_FFFFL;
            case 2 -> memory.getShort(at) & 0xFFFFL;
            default -> memory.getByte(at) & 0xFFL;
        };
    }

    private static void write(final UnsafeBuffer memory, final int at, final int width, final long value)
    {
        switch (width)
        {
            case 8 -> memory.putLong(at, value);
            case 4 -> memory.putInt(at, (int)value);
            case 2 -> memory.putShort(at, (short)value);
            default -> memory.putByte(at, (byte)value);
        }
    }

    /* The non-opaque struct classes of the bindings, by the names a header may give them (typedef or struct tag). */
    private static Map<String, Class<? extends Pointer>> generatedStructs()
    {
        final Map<String, Class<? extends Pointer>> structs = new TreeMap<>();
        for (final Class<?> nested : ArchiveBridgeLibrary.class.getDeclaredClasses())
        {
            if (Pointer.class.isAssignableFrom(nested) && !FunctionPointer.class.isAssignableFrom(nested) &&
                null == nested.getAnnotation(Opaque.class))
            {
                @SuppressWarnings("unchecked") final Class<? extends Pointer> struct = (Class<? extends Pointer>)nested;
                structs.put(nested.getSimpleName(), struct);
            }
        }
        return structs;
    }

    /*
     * Each struct defined in the public headers with its field names: "typedef struct x_stct { ... } x_t;" is known
     * to JavaCPP as x_t, "struct x_stct { ... };" (with the typedef elsewhere) as x_stct.
     */
    static Map<String, List<String>> headerStructFields() throws IOException
    {
        final Pattern definition = Pattern.compile(
            "(typedef\\s+)?struct\\s+(\\w+)\\s*\\{([^}]*)\\}\\s*(\\w*)\\s*;", Pattern.DOTALL);
        final Pattern fieldName = Pattern.compile("(\\w+)\\s*(\\[[^]]*])?\\s*$");
        final Map<String, List<String>> structs = new TreeMap<>();
        try (var files = Files.list(HEADERS))
        {
            for (final Path header : files.filter((p) -> p.toString().endsWith(".h")).sorted().toList())
            {
                final String text = Files.readString(header).replaceAll("(?s)/\\*.*?\\*/", " ");
                final Matcher matcher = definition.matcher(text);
                while (matcher.find())
                {
                    final String name = null != matcher.group(1) && !matcher.group(4).isEmpty() ?
                        matcher.group(4) : matcher.group(2);
                    final List<String> fields = new ArrayList<>();
                    for (final String declaration : matcher.group(3).split(";"))
                    {
                        final Matcher field = fieldName.matcher(declaration.trim());
                        if (!declaration.isBlank() && field.find())
                        {
                            fields.add(field.group(1));
                        }
                    }
                    structs.put(name, fields);
                }
            }
        }
        assertNotEquals(0, structs.size(), "no structs in " + HEADERS.toAbsolutePath());
        return structs;
    }
}
