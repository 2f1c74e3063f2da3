package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.RecordingSource;
import org.archivebridge.conformance.client.SubscriptionDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One client shared by several threads (issue 4, item 11): AeronArchive serialises its callers with a lock, and each
 * caller gets the answer to its own request. Both clients are hammered alike; what each thread saw is summarised in
 * the transcript (counts of outcomes, never timings), so a response handed to the wrong caller is a difference.
 */
final class ThreadingScenarios
{
    private static final int THREADS = 8;
    private static final int ROUNDS = 10;
    private static final int FIRST_STREAM_ID = 2501;
    private static final long UNKNOWN_RECORDING_ID = 876_543;
    private static final long THREADS_TIMEOUT_S = 120;
    private static final String IPC = Scenarios.IPC;

    private static final List<Scenario> ALL = List.of(
        new Scenario("shared-client-8-threads",
            "8 threads share one client, each starting, listing and stopping recordings of its own stream and " +
                "asking for an unknown recording: every thread gets its own answers",
            ThreadingScenarios::sharedClient));

    private ThreadingScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void sharedClient(final ScenarioRun run) throws Exception
    {
        final ArchiveClient client = run.connect(run.environment().udpSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try
        {
            final List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int streamId = FIRST_STREAM_ID + t;
                results.add(executor.submit(() -> hammer(client, streamId)));
            }
            for (int t = 0; t < THREADS; t++)
            {
                final int thread = t;
                run.text("thread", List.of(Integer.toString(thread), ROUNDS + " rounds"),
                    () -> await(results.get(thread)));
            }
        }
        finally
        {
            executor.shutdownNow();
        }
        run.text("pollForErrorResponse", List.of("after the threads"), client::pollForErrorResponse);
        run.close(client);
    }

    private static String await(final Future<String> result)
    {
        try
        {
            return result.get(THREADS_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            return "did not finish: " + ex;
        }
    }

    /*
     * Each round checks its answers against what this thread asked; the summary names the first one that was not its
     * own, or says every round was. Failures are summarised by category, as the transcript names them.
     */
    private static String hammer(final ArchiveClient client, final int streamId)
    {
        for (int round = 0; round < ROUNDS; round++)
        {
            try
            {
                final long subscriptionId = client.startRecording(IPC, streamId, RecordingSource.LOCAL);
                final List<SubscriptionDescriptor> listed = new ArrayList<>();
                final int count = client.listRecordingSubscriptions(0, 100, IPC, streamId, true, listed::add);
                if (count != 1 || listed.size() != 1 || listed.get(0).streamId() != streamId ||
                    listed.get(0).subscriptionId() != subscriptionId)
                {
                    return "round " + round + ": listRecordingSubscriptions answered " + listed;
                }
                final String unknown = failureOf(() -> client.getStopPosition(UNKNOWN_RECORDING_ID));
                if (!unknown.startsWith("ERROR(code=UNKNOWN_RECORDING"))
                {
                    return "round " + round + ": getStopPosition of an unknown recording answered " + unknown;
                }
                if (!client.tryStopRecording(subscriptionId))
                {
                    return "round " + round + ": tryStopRecording of its own subscription answered false";
                }
            }
            catch (final ClientFailure failure)
            {
                return "round " + round + ": " + failure.label();
            }
        }
        return "every answer its own";
    }

    private static String failureOf(final Runnable call)
    {
        try
        {
            call.run();
            return "ok";
        }
        catch (final ClientFailure failure)
        {
            return failure.label();
        }
    }
}
