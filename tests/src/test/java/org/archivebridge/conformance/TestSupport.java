package org.archivebridge.conformance;

import org.archivebridge.NativeArchive;

import java.nio.file.Path;

/** Settings the build passes to the tests. */
final class TestSupport
{
    private TestSupport()
    {
    }

    /** The client compared with AeronArchive; JAVA makes the suite check itself without the native library. */
    static ClientKind candidate()
    {
        return ClientKind.valueOf(System.getProperty("conformance.candidate", ClientKind.NATIVE.name()));
    }

    static Path logDir()
    {
        return Path.of(System.getProperty("conformance.logDir", "target"));
    }

    /** A NativeArchive context for the suite's Archive as the settings describe it: channels, streams and timeout. */
    static NativeArchive.Context nativeContext(final ClientSettings settings)
    {
        return new NativeArchive.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(settings.messageTimeoutNs());
    }
}
