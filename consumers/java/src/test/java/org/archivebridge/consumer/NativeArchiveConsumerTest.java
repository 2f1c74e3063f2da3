package org.archivebridge.consumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativePublication;
import org.archivebridge.NativeSubscription;
import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an application does with the installed artifacts: the API jar and the platform jars resolved through
 * archive-bridge-platform (every platform, or the one -Djavacpp.platform names), this machine's JNI library found in
 * its platform jar, a NativeArchive connected to an Archive, a recording made, listed, replayed, and closed.
 */
class NativeArchiveConsumerTest
{
    private static final String PLATFORM =
        "aarch64".equals(System.getProperty("os.arch")) ? "linux-arm64" : "linux-x86_64";
    private static final String JNI_LIBRARY = "org/archivebridge/" + PLATFORM + "/libjniArchiveBridgeLibrary.so";
    private static final String RECORDED_CHANNEL = "aeron:ipc";
    private static final int RECORDED_STREAM_ID = 1001;
    private static final int REPLAY_STREAM_ID = 1002;
    private static final int MESSAGE_COUNT = 10;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void theJniLibraryComesFromThePlatformJarAndTheApiJarHasNone() throws Exception
    {
        final URL library = NativeArchiveConsumerTest.class.getClassLoader().getResource(JNI_LIBRARY);
        assertNotNull(library, JNI_LIBRARY + " is on no jar of the class path");
        assertTrue(library.toString().matches("jar:file:.*/archive-bridge-java-[^/]*-" + PLATFORM + "\\.jar!/.*"),
            "loaded from " + library);

        final File api = new File(NativeArchive.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(api.getName().matches("archive-bridge-java-[^-]+(-SNAPSHOT)?\\.jar"), "API classes from " + api);
        try (JarFile jar = new JarFile(api))
        {
            assertEquals(List.of(),
                jar.stream().map(JarEntry::getName).filter((name) -> name.contains("linux-")).toList(),
                "native code in the API jar");
        }

        assertNotNull(Loader.load(ArchiveBridgeLibrary.class));
    }

    @Test
    void archiveBridgePlatformPullsEveryPlatformJarOrTheOneSelected()
    {
        final String selected = System.getProperty("javacpp.platform");
        final Set<String> expected = null == selected ? Set.of("linux-x86_64", "linux-arm64") : Set.of(selected);
        final Pattern platformJar = Pattern.compile(".*/archive-bridge-java-[^/]*?-(linux-[a-z0-9_]+)\\.jar");
        final Set<String> onClassPath = new TreeSet<>();
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            final Matcher matcher = platformJar.matcher(entry);
            if (matcher.matches())
            {
                onClassPath.add(matcher.group(1));
            }
        }
        assertEquals(new TreeSet<>(expected), onClassPath, "platform jars with -Djavacpp.platform=" + selected);
    }

    @Test
    @Timeout(120)
    void recordsListsReplaysAndCloses()
    {
        try (EmbeddedArchive server = new EmbeddedArchive())
        {
            final NativeArchive archive = NativeArchive.connect(new NativeArchive.Context()
                .aeronDirectoryName(server.aeronDirectoryName())
                .controlRequestChannel(EmbeddedArchive.CONTROL_CHANNEL)
                .controlRequestStreamId(EmbeddedArchive.CONTROL_STREAM_ID)
                .controlResponseChannel(EmbeddedArchive.CONTROL_CHANNEL));
            try
            {
                final Recorded recorded = record(archive);
                final long recordingId = recorded.recordingId();

                final List<String> listed = new ArrayList<>();
                final int count = archive.listRecordings(0, 100, (controlSessionId, correlationId, id,
                    startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId, segmentFileLength,
                    termBufferLength, mtuLength, sessionId, streamId, strippedChannel, originalChannel,
                    sourceIdentity) -> listed.add(id + " " + streamId + " " + strippedChannel));
                assertEquals(1, count);
                // A session-specific recording: the Archive stores the channel with the publication's session id.
                assertEquals(List.of(recordingId + " " + RECORDED_STREAM_ID + " " + RECORDED_CHANNEL +
                    "?session-id=" + recorded.sessionId()), listed);

                assertEquals(MESSAGE_COUNT, replay(archive, recordingId, archive.getStopPosition(recordingId)));
            }
            finally
            {
                archive.close();
            }
            assertEquals(NativeArchive.State.CLOSED, archive.state());
        }
    }

    private record Recorded(long recordingId, int sessionId)
    {
    }

    private static Recorded record(final NativeArchive archive)
    {
        final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(Integer.BYTES));
        final long recordingId;
        final int sessionId;
        try (NativePublication publication = archive.addRecordedPublication(RECORDED_CHANNEL, RECORDED_STREAM_ID))
        {
            final long deadline = System.nanoTime() + WAIT_NS;
            for (int i = 0; i < MESSAGE_COUNT; )
            {
                message.putInt(0, i);
                if (publication.offer(message, 0, Integer.BYTES) > 0)
                {
                    i++;
                }
                else
                {
                    awaitUntil(deadline, "offer " + i);
                }
            }
            long found;
            while (NativeArchive.NULL_VALUE == (found = archive.findLastMatchingRecording(
                0, RECORDED_CHANNEL, RECORDED_STREAM_ID, publication.sessionId())))
            {
                awaitUntil(deadline, "the recording");
            }
            recordingId = found;
            sessionId = publication.sessionId();
            while (archive.getMaxRecordedPosition(recordingId) < publication.position())
            {
                awaitUntil(deadline, "the recording to reach " + publication.position());
            }
            archive.stopRecording(publication);
        }
        assertNull(archive.pollForErrorResponse());
        return new Recorded(recordingId, sessionId);
    }

    private static int replay(final NativeArchive archive, final long recordingId, final long length)
    {
        final List<Integer> values = new ArrayList<>();
        try (NativeSubscription replay = archive.replay(recordingId, 0, length, RECORDED_CHANNEL, REPLAY_STREAM_ID))
        {
            final long deadline = System.nanoTime() + WAIT_NS;
            while (values.size() < MESSAGE_COUNT)
            {
                if (0 == replay.poll((buffer, offset, length1, header) -> values.add(buffer.getInt(offset)), 10))
                {
                    awaitUntil(deadline, "the replay (" + values.size() + " so far)");
                }
            }
        }
        for (int i = 0; i < values.size(); i++)
        {
            assertEquals(i, values.get(i), "replayed message " + i);
        }
        return values.size();
    }

    private static void awaitUntil(final long deadline, final String what)
    {
        if (System.nanoTime() > deadline)
        {
            throw new AssertionError("timed out waiting for " + what);
        }
        Thread.onSpinWait();
    }
}
