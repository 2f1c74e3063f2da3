package org.archivebridge.conformance.client;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativeArchiveException;
import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message timeout of Long.MAX_VALUE means "wait as long as it takes" for AeronArchive, which connects with it; the
 * native client's deadline arithmetic overflowed it into the past and timed the connect out at once (issue 10,
 * defect 4). Both clients, against the real Archive the conformance suite starts, connect and get answers.
 */
class NativeArchiveMessageTimeoutTest
{
    private static final long UNKNOWN_RECORDING_ID = 1_000_000_007L;

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

    private static NativeArchive.Context nativeContext(final long messageTimeoutNs)
    {
        return TestSupport.nativeContext(environment.udpSettings()).messageTimeoutNs(messageTimeoutNs);
    }

    @Test
    void aeronArchiveConnectsWithTheLargestTimeout()
    {
        final ClientSettings settings = environment.udpSettings();
        final AeronArchive.Context context = new AeronArchive.Context()
            .aeronDirectoryName(settings.aeronDirectoryName())
            .controlRequestChannel(settings.controlRequestChannel())
            .controlRequestStreamId(settings.controlRequestStreamId())
            .controlResponseChannel(settings.controlResponseChannel())
            .controlResponseStreamId(settings.controlResponseStreamId())
            .messageTimeoutNs(Long.MAX_VALUE);
        try (AeronArchive archive = AeronArchive.connect(context))
        {
            assertTrue(archive.archiveId() != 0);
            final ArchiveException ex =
                assertThrows(ArchiveException.class, () -> archive.getStartPosition(UNKNOWN_RECORDING_ID));
            assertEquals(ArchiveException.UNKNOWN_RECORDING, ex.errorCode());
        }
    }

    @Test
    void nativeArchiveConnectsAndIsAnsweredWithTheLargestTimeouts()
    {
        for (final long timeoutNs : new long[] { Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE / 2 + 1 })
        {
            try (NativeArchive archive = NativeArchive.connect(nativeContext(timeoutNs)))
            {
                assertEquals(timeoutNs, archive.context().messageTimeoutNs());
                assertTrue(archive.archiveId() != 0, "archive id with timeout " + timeoutNs);
                final NativeArchiveException ex =
                    assertThrows(NativeArchiveException.class, () -> archive.getStartPosition(UNKNOWN_RECORDING_ID));
                assertEquals(ArchiveException.UNKNOWN_RECORDING, ex.errorCode(), ex.getMessage());
            }
        }
    }

    @Test
    void nativeArchiveAutoPollsWithTheLargestInterval()
    {
        try (NativeArchive archive =
            NativeArchive.connect(nativeContext(Long.MAX_VALUE).autoPollIntervalNs(Long.MAX_VALUE)))
        {
            assertTrue(archive.archiveId() != 0);
        }
    }

    @Test
    void nativeArchiveAsyncConnectsWithTheLargestTimeout()
    {
        try (NativeArchive.AsyncConnect async = NativeArchive.asyncConnect(nativeContext(Long.MAX_VALUE)))
        {
            NativeArchive archive;
            while (null == (archive = async.poll()))
            {
                Thread.yield();
            }
            try (NativeArchive connected = archive)
            {
                assertTrue(connected.archiveId() != 0);
            }
        }
    }

    @Test
    void aTimeoutOfZeroOrBelowIsRefusedNamingIt()
    {
        for (final long timeoutNs : new long[] { 0, -1, Long.MIN_VALUE })
        {
            final RuntimeException ex =
                assertThrows(RuntimeException.class, () -> NativeArchive.connect(nativeContext(timeoutNs)));
            assertTrue(ex.getMessage().contains("message timeout"), ex.getMessage());
        }
    }
}
