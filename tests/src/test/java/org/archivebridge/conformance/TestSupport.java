package org.archivebridge.conformance;

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
}
