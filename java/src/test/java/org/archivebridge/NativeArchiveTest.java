package org.archivebridge;

import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.RecordingDescriptorConsumer;
import io.aeron.archive.codecs.SourceLocation;
import io.aeron.exceptions.ConfigurationException;
import io.aeron.exceptions.DriverTimeoutException;
import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_t;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeArchiveTest
{
    private static final String REQUEST_CHANNEL = "aeron:udp?endpoint=localhost:8010";
    private static final String RESPONSE_CHANNEL = "aeron:udp?endpoint=localhost:0";
    private static final RecordingDescriptorConsumer IGNORE = (controlSessionId, correlationId, recordingId,
        startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
        termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> {};

    @TempDir
    Path noDriverDir;

    private NativeArchive.Context context()
    {
        return new NativeArchive.Context()
            .aeronDirectoryName(noDriverDir.toString())
            .controlRequestChannel(REQUEST_CHANNEL)
            .controlResponseChannel(RESPONSE_CHANNEL)
            .messageTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200));
    }

    /*
     * The Java layer's state handling, on a client around a NULL handle: close of NULL is harmless in C, and every
     * call checked here is refused in Java before it reaches C.
     */
    private NativeArchive clientWithoutSession()
    {
        return new NativeArchive(context(), new abr_archive_t(), 42, 7);
    }

    @Test
    void connectWithoutDriverFailsNamingTheDirectory()
    {
        // AeronArchive.connect throws the DriverTimeoutException of its Aeron client when there is no driver.
        final NativeDriverTimeoutException ex = assertTimeout(Duration.ofSeconds(30),
            () -> assertThrows(NativeDriverTimeoutException.class, () -> NativeArchive.connect(context())));
        assertInstanceOf(DriverTimeoutException.class, ex);

        assertTrue(ex.getMessage().contains(noDriverDir.toString()), ex.getMessage());
        assertEquals(ArchiveBridgeLibrary.ABR_ERROR_NO_DRIVER, ex.nativeCode());
    }

    @Test
    void connectWithoutChannelsIsAConfigurationError()
    {
        assertThrows(ConfigurationException.class, () -> NativeArchive.connect(context().controlRequestChannel(null)));
        assertThrows(ConfigurationException.class, () -> NativeArchive.connect(context().controlResponseChannel(null)));
        assertThrows(ConfigurationException.class, () -> NativeArchive.connect(context().messageRetryAttempts(0)));
        assertThrows(NullPointerException.class, () -> NativeArchive.connect(null));
    }

    @Test
    void protocolSemanticVersionOutOfRangeIsRejectedByTheNativeContext()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> NativeArchive.connect(context().protocolSemanticVersion(1 << 24)));

        assertTrue(ex.getMessage().contains("protocol semantic version"), ex.getMessage());
    }

    @Test
    void invalidSettingRejectedByTheNativeContextKeepsItsMessage()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> NativeArchive.connect(context().messageTimeoutNs(-1)));

        assertTrue(ex.getMessage().contains("-1"), ex.getMessage());
    }

    @Test
    // An empty channel is not rejected here: it goes to the archive, as AeronArchive's does (conformance suite).
    void nullArgumentsAreRejected()
    {
        try (NativeArchive archive = clientWithoutSession())
        {
            assertThrows(IllegalArgumentException.class, () -> archive.startRecording(null, 1, SourceLocation.LOCAL));
            assertThrows(IllegalArgumentException.class, () -> archive.stopRecording(null, 1));
            assertThrows(IllegalArgumentException.class, () -> archive.tryStopRecording(null, 1));
            assertThrows(
                IllegalArgumentException.class, () -> archive.extendRecording(1, null, 1, SourceLocation.LOCAL));
            assertThrows(NullPointerException.class, () -> archive.findLastMatchingRecording(0, null, 1, 1));
            assertThrows(NullPointerException.class, () -> archive.listRecordingsForUri(0, 1, null, 1, null));
            assertThrows(
                NullPointerException.class, () -> archive.listRecordingSubscriptions(0, 1, "", 1, true, null));
            assertThrows(NullPointerException.class, () -> archive.startRecording("aeron:ipc", 1, null));
            assertThrows(NullPointerException.class, () -> archive.listRecordings(0, 10, null));
            assertThrows(NullPointerException.class, () -> archive.listRecording(0, null));
        }
    }

    @Test
    void nativeErrorReachesJavaWithItsMessage()
    {
        try (NativeArchive archive = clientWithoutSession())
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, archive::poll);

            assertTrue(ex.getMessage().contains("must not be null"), ex.getMessage());
        }
    }

    @Test
    void callsOnAClosedClientFailAsAeronArchiveSays()
    {
        final NativeArchive archive = clientWithoutSession();
        archive.close();

        assertClosed(archive::poll);
        assertClosed(() -> archive.startRecording("aeron:ipc", 1, SourceLocation.LOCAL));
        assertClosed(
            () -> archive.startRecording("aeron:ipc", 1, SourceLocation.REMOTE, true));
        assertClosed(() -> archive.stopRecording("aeron:ipc", 1));
        assertClosed(() -> archive.stopRecording(5));
        assertClosed(() -> archive.listRecordings(0, 10, IGNORE));
        assertClosed(() -> archive.listRecording(0, IGNORE));
        assertClosed(() -> archive.getRecordingPosition(0));
        assertClosed(() -> archive.getStopPosition(0));
    }

    /* AeronArchive throws ArchiveException "client is closed" (GENERIC) for any call on a closed client. */
    private static void assertClosed(final org.junit.jupiter.api.function.Executable call)
    {
        final ArchiveException ex = assertThrows(ArchiveException.class, call);
        assertTrue(ex.getMessage().startsWith("ERROR - client is closed"), ex.getMessage());
        assertEquals(ArchiveException.GENERIC, ex.errorCode());
    }

    @Test
    void idsAndContextAreStillAnsweredAfterClose()
    {
        final NativeArchive archive = clientWithoutSession();
        final NativeArchive.Context ctx = archive.context();
        archive.close();

        assertEquals(42, archive.controlSessionId());
        assertEquals(7, archive.archiveId());
        assertSame(ctx, archive.context());
    }

    @Test
    void closeTwiceIsHarmless()
    {
        final NativeArchive archive = clientWithoutSession();

        assertDoesNotThrow(archive::close);
        assertDoesNotThrow(archive::close);
    }
}
