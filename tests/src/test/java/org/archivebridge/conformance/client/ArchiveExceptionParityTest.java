package org.archivebridge.conformance.client;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import org.archivebridge.NativeArchive;
import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catch block written for AeronArchive catches NativeArchive's failures too, and reads the same facts from them:
 * both clients against the same Archive, the same failure provoked on each, the exceptions compared.
 */
class ArchiveExceptionParityTest
{
    private static final long UNKNOWN_RECORDING_ID = 777_777;
    private static ScenarioEnvironment environment;

    @BeforeAll
    static void startServer() throws Exception
    {
        environment = ScenarioEnvironment.start(TestSupport.logDir());
    }

    @AfterAll
    static void stopServer()
    {
        if (environment != null)
        {
            environment.close();
        }
    }

    @Test
    void anArchiveErrorIsTheSameArchiveException()
    {
        final ClientSettings settings = environment.udpSettings();
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(settings.aeronDirectoryName()));
            AeronArchive reference = AeronArchive.connect(TestSupport.referenceContext(settings, aeron));
            NativeArchive candidate = NativeArchive.connect(TestSupport.nativeContext(settings)))
        {
            final ArchiveException expected =
                assertThrows(ArchiveException.class, () -> reference.getStopPosition(UNKNOWN_RECORDING_ID));
            final ArchiveException actual =
                assertThrows(ArchiveException.class, () -> candidate.getStopPosition(UNKNOWN_RECORDING_ID));

            assertEquals(ArchiveException.UNKNOWN_RECORDING, expected.errorCode(), expected.getMessage());
            assertEquals(expected.errorCode(), actual.errorCode(), actual.getMessage());
            assertEquals(expected.category(), actual.category());
            assertEquals(reference.lastCorrelationId(), expected.correlationId());
            assertEquals(candidate.lastCorrelationId(), actual.correlationId(), actual.getMessage());
            // Word for word, but for each client's own correlation id; the native details may follow.
            final String expectedText = expected.getMessage().replace(
                "correlationId=" + expected.correlationId(), "correlationId=" + actual.correlationId());
            assertTrue(actual.getMessage().startsWith(expectedText),
                "\nAeronArchive:  " + expected.getMessage() + "\nNativeArchive: " + actual.getMessage());
        }
    }

    @Test
    void aCallOnAClosedClientIsTheSameArchiveException()
    {
        final ClientSettings settings = environment.udpSettings();
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(settings.aeronDirectoryName())))
        {
            final AeronArchive reference = AeronArchive.connect(TestSupport.referenceContext(settings, aeron));
            final NativeArchive candidate = NativeArchive.connect(TestSupport.nativeContext(settings));
            reference.close();
            candidate.close();

            final ArchiveException expected =
                assertThrows(ArchiveException.class, () -> reference.getStopPosition(UNKNOWN_RECORDING_ID));
            final ArchiveException actual =
                assertThrows(ArchiveException.class, () -> candidate.getStopPosition(UNKNOWN_RECORDING_ID));

            assertEquals(expected.errorCode(), actual.errorCode());
            assertTrue(actual.getMessage().startsWith(expected.getMessage()),
                "\nAeronArchive:  " + expected.getMessage() + "\nNativeArchive: " + actual.getMessage());
        }
    }
}
