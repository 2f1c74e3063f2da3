package org.archivebridge.conformance.client;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.exceptions.DriverTimeoutException;
import io.aeron.exceptions.RegistrationException;
import io.aeron.exceptions.TimeoutException;
import org.archivebridge.NativeArchive;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    @Test
    void aRecordedPublicationTheDriverRejectsIsTheSameRegistrationException()
    {
        final ClientSettings settings = environment.udpSettings();
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(settings.aeronDirectoryName()));
            AeronArchive reference = AeronArchive.connect(TestSupport.referenceContext(settings, aeron));
            NativeArchive candidate = NativeArchive.connect(TestSupport.nativeContext(settings)))
        {
            for (final String channel : new String[] { "aeron:bogus", "aeron:ipc?term-length=3" })
            {
                final RegistrationException expected = assertThrows(
                    RegistrationException.class, () -> reference.addRecordedExclusivePublication(channel, 1601));
                final RegistrationException actual = assertThrows(
                    RegistrationException.class, () -> candidate.addRecordedExclusivePublication(channel, 1601));
                assertEquals(expected.errorCode(), actual.errorCode(), actual.getMessage());
                assertEquals(expected.errorCodeValue(), actual.errorCodeValue(), actual.getMessage());
                assertTrue(actual.correlationId() > 0, actual.getMessage());
                assertTrue(actual.getMessage().startsWith(expected.getMessage()),
                    "\nAeronArchive:  " + expected.getMessage() + "\nNativeArchive: " + actual.getMessage());
            }
        }
    }

    @Test
    void aConnectToNoArchiveTimesOutInAeronArchivesWords()
    {
        final ClientSettings settings = environment.udpSettings();
        final String nowhere = "aeron:udp?endpoint=localhost:" + FreePorts.udp();
        final long timeoutNs = TimeUnit.SECONDS.toNanos(2);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(settings.aeronDirectoryName())))
        {
            final TimeoutException expected = assertThrows(TimeoutException.class, () -> AeronArchive.connect(
                TestSupport.referenceContext(settings, aeron).controlRequestChannel(nowhere)
                    .messageTimeoutNs(timeoutNs)));
            final TimeoutException actual = assertThrows(TimeoutException.class, () -> NativeArchive.connect(
                TestSupport.nativeContext(settings).controlRequestChannel(nowhere).messageTimeoutNs(timeoutNs)));

            // Word for word up to where AeronArchive prints its publication object, for which ours has the channel;
            // the step each stopped at depends on how fast the driver adds the publication, and is named as Aeron's.
            final String words = "ERROR - Archive connect timeout: step=";
            assertTrue(expected.getMessage().startsWith(words), expected.getMessage());
            assertTrue(actual.getMessage().startsWith(words), actual.getMessage());
            final String step = actual.getMessage().substring(words.length(), actual.getMessage().indexOf(' ',
                words.length()));
            assertEquals(step, AeronArchive.AsyncConnect.State.valueOf(step).name());
            assertTrue(actual.getMessage().startsWith(words + step + " publication=" + nowhere), actual.getMessage());
            assertEquals(expected.category(), actual.category());
            assertFalse(actual instanceof DriverTimeoutException, actual.getMessage());
        }
    }

    @Test
    void anAsyncConnectPolledAfterItsEndAnswersAsAeronArchives() throws InterruptedException
    {
        final ClientSettings settings = environment.udpSettings();
        final long timeoutNs = TimeUnit.SECONDS.toNanos(5);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(settings.aeronDirectoryName()));
            AeronArchive.AsyncConnect reference =
                AeronArchive.asyncConnect(TestSupport.referenceContext(settings, aeron).messageTimeoutNs(timeoutNs));
            NativeArchive.AsyncConnect candidate =
                NativeArchive.asyncConnect(TestSupport.nativeContext(settings).messageTimeoutNs(timeoutNs)))
        {
            final long startNs = System.nanoTime();
            AeronArchive expected = null;
            NativeArchive actual = null;
            while (null == expected || null == actual)
            {
                expected = null == expected ? reference.poll() : expected;
                actual = null == actual ? candidate.poll() : actual;
                Thread.yield();
            }
            try (AeronArchive expectedClient = expected; NativeArchive actualClient = actual)
            {
                // The same client again while the connect's deadline has not passed...
                assertSame(expectedClient, reference.poll());
                assertSame(actualClient, candidate.poll());
                assertEquals(AeronArchive.AsyncConnect.State.DONE, reference.state());
                assertEquals(NativeArchive.AsyncConnect.State.DONE, candidate.state());

                // ...then the connect timeout, at step DONE, though the client is connected and usable.
                final long pastDeadlineMs = TimeUnit.NANOSECONDS.toMillis(timeoutNs - (System.nanoTime() - startNs));
                Thread.sleep(Math.max(0, pastDeadlineMs) + 200);
                final TimeoutException expectedTimeout = assertThrows(TimeoutException.class, reference::poll);
                final TimeoutException actualTimeout = assertThrows(TimeoutException.class, candidate::poll);
                final String words = "ERROR - Archive connect timeout: step=DONE publication=";
                assertTrue(expectedTimeout.getMessage().startsWith(words), expectedTimeout.getMessage());
                assertTrue(actualTimeout.getMessage().startsWith(words), actualTimeout.getMessage());
                assertTrue(actualClient.archiveId() != 0);
            }
        }
    }

    @Test
    void anAsyncConnectPolledAfterItFailedAnswersAsAeronArchives() throws InterruptedException
    {
        final ClientSettings settings = environment.udpSettings();
        final String unresolvable = "aeron:udp?endpoint=no-such-host-regerr:0";
        final long timeoutNs = TimeUnit.SECONDS.toNanos(3);
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(settings.aeronDirectoryName()));
            AeronArchive.AsyncConnect reference = AeronArchive.asyncConnect(
                TestSupport.referenceContext(settings, aeron).controlResponseChannel(unresolvable)
                    .messageTimeoutNs(timeoutNs));
            NativeArchive.AsyncConnect candidate = NativeArchive.asyncConnect(TestSupport.nativeContext(settings)
                .controlResponseChannel(unresolvable).messageTimeoutNs(timeoutNs)))
        {
            final long startNs = System.nanoTime();
            final RegistrationException expected =
                assertThrows(RegistrationException.class, () -> pollUntilDone(reference::poll));
            final RegistrationException actual =
                assertThrows(RegistrationException.class, () -> pollUntilDone(candidate::poll));
            assertEquals(expected.errorCode(), actual.errorCode(), actual.getMessage());
            assertTrue(actual.getMessage().startsWith(expected.getMessage()),
                "\nAeronArchive:  " + expected.getMessage() + "\nNativeArchive: " + actual.getMessage());

            // After the failure: what each poll answers, until the connect's deadline and after it.
            assertEquals(outcome(reference::poll), outcome(candidate::poll));
            final long pastDeadlineMs = TimeUnit.NANOSECONDS.toMillis(timeoutNs - (System.nanoTime() - startNs));
            Thread.sleep(Math.max(0, pastDeadlineMs) + 200);
            assertEquals(outcome(reference::poll), outcome(candidate::poll));
        }
    }

    private static void pollUntilDone(final Supplier<Object> poll)
    {
        while (null == poll.get())
        {
            Thread.yield();
        }
    }

    /* One poll's answer, comparable across the clients: null, or the exception's Aeron kind and its first words. */
    private static String outcome(final Supplier<Object> poll)
    {
        try
        {
            final Object result = poll.get();
            return null == result ? "null" : "a client";
        }
        catch (final TimeoutException ex)
        {
            final String message = ex.getMessage();
            return "TimeoutException: " + message.substring(0, message.indexOf(" publication="));
        }
        catch (final RuntimeException ex)
        {
            return ex.getClass().getName() + ": " + ex.getMessage();
        }
    }
}
