package org.archivebridge.conformance;

import org.archivebridge.NativeArchive;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;

import java.nio.file.Path;

/** Settings the build passes to the tests. */
public final class TestSupport
{
    private TestSupport()
    {
    }

    /** The client compared with AeronArchive; JAVA makes the suite check itself without the native library. */
    public static ClientKind candidate()
    {
        return ClientKind.valueOf(System.getProperty("conformance.candidate", ClientKind.NATIVE.name()));
    }

    public static Path logDir()
    {
        return Path.of(System.getProperty("conformance.logDir", "target"));
    }

    /** A NativeArchive context for the suite's Archive as the settings describe it: channels, streams and timeout. */
    public static NativeArchive.Context nativeContext(final ClientSettings settings)
    {
        return new NativeArchive.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(settings.messageTimeoutNs());
    }

    /** The AeronArchive context that matches {@link #nativeContext}, through the application's own Aeron client. */
    public static io.aeron.archive.client.AeronArchive.Context referenceContext(
        final ClientSettings settings, final io.aeron.Aeron aeron)
    {
        return new io.aeron.archive.client.AeronArchive.Context()
            .aeron(aeron)
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(settings.messageTimeoutNs());
    }
}
