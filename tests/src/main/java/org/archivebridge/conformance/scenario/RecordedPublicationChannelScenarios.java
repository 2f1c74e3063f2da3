package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.RecordedPublication;
import org.archivebridge.conformance.client.RecordingDescriptor;
import org.archivebridge.conformance.server.ServerObserver;
import org.archivebridge.conformance.server.StreamPublisher;

import java.util.List;

/**
 * The channel a recorded publication's recording is listed under (issue 10, defect 7). AeronArchive asks the Archive
 * to record ChannelUri.addSessionId(channel, sessionId), and the Archive keeps that text as the recording's original
 * channel; ChannelUri writes its parameters in the order of the hash map it keeps them in, not in the order given, so
 * session-id lands among the others. NativeArchive appended it at the end, which the catalogue did not see because
 * its one channel (aeron:ipc?term-length=65536) happens to put session-id last in both. Here channels of several
 * shapes, with no parameters, a few and many, on IPC and UDP, concurrent and exclusive, are recorded and listed.
 */
final class RecordedPublicationChannelScenarios
{
    private static final int FIRST_STREAM_ID = 2601;

    private static final List<Scenario> ALL = List.of(
        new Scenario("recorded-publication-channels",
            "addRecordedPublication/addRecordedExclusivePublication on IPC and UDP channels with no, some and many " +
                "parameters: the recording's original channel is the same text on both clients",
            RecordedPublicationChannelScenarios::recordedPublicationChannels));

    private RecordedPublicationChannelScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    private static void recordedPublicationChannels(final ScenarioRun run)
    {
        // The Archive's own driver carries the publications, so it records IPC as well as UDP ones.
        final ArchiveClient client = run.connect(run.environment().ipcSettings());
        run.expect(client != null, "connect succeeds");
        if (client == null)
        {
            return;
        }
        final List<String> channels = List.of(
            "aeron:ipc",
            "aeron:ipc?term-length=65536|alias=recorded",
            "aeron:udp?endpoint=localhost:{port}",
            "aeron:udp?endpoint=localhost:{port}|term-length=65536|mtu=1408",
            "aeron:udp?endpoint=localhost:{port}|term-length=65536|alias=many|linger=0|sparse=true|mtu=1408");
        int streamId = FIRST_STREAM_ID;
        for (final String channel : channels)
        {
            recordAndList(run, client, channel, streamId++, false);
        }
        recordAndList(run, client, "aeron:ipc?alias=exclusive|term-length=65536", streamId++, true);
        recordAndList(run, client, "aeron:udp?endpoint=localhost:{port}|alias=exclusive|term-length=65536", streamId,
            true);
        run.close(client);
    }

    private static void recordAndList(
        final ScenarioRun run, final ArchiveClient client, final String template, final int streamId,
        final boolean exclusive)
    {
        // The port differs from run to run; the transcript names the channel by its template.
        final String channel = template.replace("{port}", Integer.toString(FreePorts.udp()));
        final String operation = exclusive ? "addRecordedExclusivePublication" : "addRecordedPublication";
        final RecordedPublication[] added = new RecordedPublication[1];
        run.action(operation, List.of(template, Integer.toString(streamId)),
            () -> added[0] = client.addRecordedPublication(channel, streamId, exclusive));
        if (added[0] == null)
        {
            run.expect(false, operation + " on " + template + " succeeds");
            return;
        }
        final String port = channel.equals(template) ? null : channel.replaceAll(".*localhost:([0-9]+).*", "$1");
        try (RecordedPublication publication = added[0])
        {
            final ServerObserver observer = run.environment().observer();
            final int sessionId = publication.sessionId();
            final List<String> byPublication = List.of(operation + "(" + streamId + ")");
            if (!StreamPublisher.await(() -> observer.activeRecordingId(sessionId) != -1))
            {
                run.expect(false, "the Archive starts a recording of session " + sessionId + " on " + template);
                run.action("stopRecording", byPublication, () -> client.stopRecording(publication));
                return;
            }
            final long recordingId = observer.activeRecordingId(sessionId);
            final String recording = run.symbol("recording", recordingId);
            run.listing("listRecording", List.of(recording), (consumer) -> client.listRecording(recordingId,
                (descriptor) -> consumer.accept(portAsTemplate(
                    RecordingScenarios.sessionAsSymbol(run, descriptor), port))));
            run.action("stopRecording", byPublication, () -> client.stopRecording(publication));
            run.expect(StreamPublisher.await(() -> stopped(client, recordingId)),
                "the recording of " + template + " stops");
        }
    }

    private static boolean stopped(final ArchiveClient client, final long recordingId)
    {
        try
        {
            return client.getStopPosition(recordingId) != -1;
        }
        catch (final ClientFailure ignore)
        {
            return false;
        }
    }

    /* The run's own UDP port as the template names it, and a UDP source's ephemeral port (the sender's) as '*'. */
    private static RecordingDescriptor portAsTemplate(final RecordingDescriptor d, final String port)
    {
        if (null == port)
        {
            return d;
        }
        final String actual = "localhost:" + port;
        final String template = "localhost:{port}";
        return new RecordingDescriptor(d.controlSessionId(), d.correlationId(), d.recordingId(), d.startTimestamp(),
            d.stopTimestamp(), d.startPosition(), d.stopPosition(), d.initialTermId(), d.segmentFileLength(),
            d.termBufferLength(), d.mtuLength(), d.sessionId(), d.streamId(),
            d.strippedChannel().replace(actual, template), d.originalChannel().replace(actual, template),
            d.sourceIdentity().replaceAll(":[0-9]+$", ":*"));
    }
}
