package org.archivebridge.bench;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import org.archivebridge.NativeAeron;
import org.archivebridge.NativeArchive;

import java.util.Arrays;

/**
 * The Java twin of the C harness {@code abr_archive_ops}: the same operations, timed the same way and printed in the
 * same lines, through {@code NativeArchive} ("native") or Aeron's {@code AeronArchive} ("aeron"). Run by
 * {@link ArchiveOpsComparison} as a child process, so each client has a process of its own.
 * <pre>
 * ArchiveOpsClient native|aeron aeron-dir request-channel response-channel recording-id connects round-trips
 *                  listings list-count
 * </pre>
 */
public final class ArchiveOpsClient
{
    /** One archive client kind, behind the calls the benchmark makes. */
    private interface Client extends AutoCloseable
    {
        long getRecordingPosition(long recordingId);

        int listRecordings(long fromRecordingId, int recordCount, long[] seen);

        @Override
        void close();
    }

    /** Connects clients of one kind, with their own client core or with the shared one. */
    private interface Connector extends AutoCloseable
    {
        Client connect(boolean sharedCore);

        @Override
        void close();
    }

    private ArchiveOpsClient()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length != 9 || !(args[0].equals("native") || args[0].equals("aeron")))
        {
            System.err.println("usage: ArchiveOpsClient native|aeron aeron-dir request-channel response-channel " +
                "recording-id connects round-trips listings list-count");
            System.exit(2);
        }
        final String dir = args[1];
        final long recordingId = Long.parseLong(args[4]);
        final int connects = Integer.parseInt(args[5]);
        final int roundTrips = Integer.parseInt(args[6]);
        final int listings = Integer.parseInt(args[7]);
        final int listCount = Integer.parseInt(args[8]);
        final long[] connectNs = new long[connects];
        final long[] closeNs = new long[connects];

        try (Connector connector = args[0].equals("native") ?
            nativeConnector(dir, args[2], args[3]) : aeronConnector(dir, args[2], args[3]))
        {
            for (int i = 0; i < connects; i++)
            {
                final long start = System.nanoTime();
                final Client client = connector.connect(false);
                final long connected = System.nanoTime();
                client.close();
                closeNs[i] = System.nanoTime() - connected;
                connectNs[i] = connected - start;
            }
            report("connect", connectNs);
            report("close_owned_core", closeNs);

            for (int i = 0; i < connects; i++)
            {
                final Client client = connector.connect(true);
                final long start = System.nanoTime();
                client.close();
                closeNs[i] = System.nanoTime() - start;
            }
            report("close_shared_core", closeNs);

            try (Client client = connector.connect(true))
            {
                for (int i = 0; i < roundTrips / 10; i++)
                {
                    client.getRecordingPosition(recordingId);
                }
                final long[] samples = new long[roundTrips];
                for (int i = 0; i < roundTrips; i++)
                {
                    final long start = System.nanoTime();
                    client.getRecordingPosition(recordingId);
                    samples[i] = System.nanoTime() - start;
                }
                report("get_recording_position", samples);

                final long[] listingNs = new long[listings];
                final long[] seen = new long[1];
                for (int i = 0; i < listings; i++)
                {
                    seen[0] = 0;
                    final long start = System.nanoTime();
                    final int count = client.listRecordings(0, listCount, seen);
                    listingNs[i] = System.nanoTime() - start;
                    if (count != listCount || seen[0] != count)
                    {
                        throw new IllegalStateException("listRecordings gave " + count + " descriptors (" + seen[0] +
                            " seen), expected " + listCount);
                    }
                }
                report("list_recordings", listingNs);
            }
        }
    }

    private static Connector nativeConnector(final String dir, final String request, final String response)
    {
        final NativeAeron shared = NativeAeron.connect(new NativeAeron.Context().aeronDirectoryName(dir));
        return new Connector()
        {
            public Client connect(final boolean sharedCore)
            {
                final NativeArchive archive = NativeArchive.connect(new NativeArchive.Context()
                    .aeronDirectoryName(dir)
                    .controlRequestChannel(request)
                    .controlResponseChannel(response)
                    .aeron(sharedCore ? shared : null));
                return new Client()
                {
                    public long getRecordingPosition(final long recordingId)
                    {
                        return archive.getRecordingPosition(recordingId);
                    }

                    public int listRecordings(final long fromRecordingId, final int recordCount, final long[] seen)
                    {
                        return archive.listRecordings(fromRecordingId, recordCount,
                            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
                            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
                            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> seen[0]++);
                    }

                    public void close()
                    {
                        archive.close();
                    }
                };
            }

            public void close()
            {
                shared.close();
            }
        };
    }

    private static Connector aeronConnector(final String dir, final String request, final String response)
    {
        final Aeron shared = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        return new Connector()
        {
            public Client connect(final boolean sharedCore)
            {
                final AeronArchive.Context ctx = new AeronArchive.Context()
                    .aeronDirectoryName(dir)
                    .controlRequestChannel(request)
                    .controlResponseChannel(response);
                if (sharedCore)
                {
                    ctx.aeron(shared).ownsAeronClient(false);
                }
                final AeronArchive archive = AeronArchive.connect(ctx);
                return new Client()
                {
                    public long getRecordingPosition(final long recordingId)
                    {
                        return archive.getRecordingPosition(recordingId);
                    }

                    public int listRecordings(final long fromRecordingId, final int recordCount, final long[] seen)
                    {
                        return archive.listRecordings(fromRecordingId, recordCount,
                            (controlSessionId, correlationId, recordingId, startTimestamp, stopTimestamp,
                            startPosition, stopPosition, initialTermId, segmentFileLength, termBufferLength, mtuLength,
                            sessionId, streamId, strippedChannel, originalChannel, sourceIdentity) -> seen[0]++);
                    }

                    public void close()
                    {
                        archive.close();
                    }
                };
            }

            public void close()
            {
                shared.close();
            }
        };
    }

    /* The same nearest-rank percentiles as the C harness prints. */
    private static void report(final String op, final long[] samples)
    {
        if (samples.length < 1)
        {
            return;
        }
        final long[] sorted = samples.clone();
        Arrays.sort(sorted);
        System.out.printf("op=%s n=%d median_us=%.3f p99_us=%.3f p999_us=%.3f max_us=%.3f%n", op, sorted.length,
            percentileUs(sorted, 0.5), percentileUs(sorted, 0.99), percentileUs(sorted, 0.999),
            sorted[sorted.length - 1] / 1000.0);
    }

    private static double percentileUs(final long[] sorted, final double fraction)
    {
        final int rank = Math.max(1, Math.min(sorted.length, (int)Math.ceil(sorted.length * fraction)));
        return sorted[rank - 1] / 1000.0;
    }
}
