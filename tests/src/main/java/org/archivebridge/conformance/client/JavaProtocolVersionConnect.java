package org.archivebridge.conformance.client;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.ControlResponsePoller;
import io.aeron.archive.codecs.AuthConnectRequestEncoder;
import io.aeron.archive.codecs.CloseSessionRequestEncoder;
import io.aeron.archive.codecs.ControlResponseCode;
import io.aeron.archive.codecs.ControlResponseDecoder;
import io.aeron.archive.codecs.MessageHeaderEncoder;
import io.aeron.exceptions.TimeoutException;
import org.agrona.ExpandableArrayBuffer;

/**
 * The reference side of the protocol version scenario. AeronArchive always announces its own protocol version
 * (AeronArchive.Configuration.PROTOCOL_SEMANTIC_VERSION is a constant, no setting changes it), so this sends the
 * connect request AeronArchive's AsyncConnect sends, encoded with aeron-archive's own generated codecs, with another
 * version, and treats the Archive's answer as AsyncConnect does: a response other than OK closes the session and
 * fails with {@code ArchiveException(errorMessage, (int)relevantId, correlationId)}.
 */
final class JavaProtocolVersionConnect
{
    private JavaProtocolVersionConnect()
    {
    }

    /**
     * @return never: an archive that accepts the version is a failure of the scenario's premise, reported as such.
     * @throws ClientFailure classified as JavaArchiveClient classifies AeronArchive's exceptions.
     */
    static ArchiveClient connect(final ClientSettings settings, final int version)
    {
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(settings.aeronDirectoryName()));
            Subscription subscription = aeron.addSubscription(
                settings.controlResponseChannel(), settings.controlResponseStreamId());
            ExclusivePublication publication = aeron.addExclusivePublication(
                settings.controlRequestChannel(), settings.controlRequestStreamId()))
        {
            final long deadlineNs = System.nanoTime() + settings.messageTimeoutNs();
            String responseChannel;
            while (!publication.isConnected() || null == (responseChannel = subscription.tryResolveChannelEndpointPort()))
            {
                awaitDeadline(deadlineNs, "connect");
            }

            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
            final MessageHeaderEncoder header = new MessageHeaderEncoder();
            final long correlationId = aeron.nextCorrelationId();
            final AuthConnectRequestEncoder request = new AuthConnectRequestEncoder()
                .wrapAndApplyHeader(buffer, 0, header)
                .correlationId(correlationId)
                .responseStreamId(settings.controlResponseStreamId())
                .version(version)
                .responseChannel(responseChannel)
                .putEncodedCredentials(new byte[0], 0, 0)
                .clientInfo("name=conformance-protocol-version");
            offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + request.encodedLength(), deadlineNs);

            final ControlResponsePoller poller = new ControlResponsePoller(subscription);
            while (true)
            {
                poller.poll();
                if (poller.isPollComplete() && poller.correlationId() == correlationId &&
                    poller.templateId() == ControlResponseDecoder.TEMPLATE_ID)
                {
                    break;
                }
                awaitDeadline(deadlineNs, "awaiting connect response");
            }

            final long controlSessionId = poller.controlSessionId();
            final CloseSessionRequestEncoder close = new CloseSessionRequestEncoder()
                .wrapAndApplyHeader(buffer, 0, header)
                .controlSessionId(controlSessionId);
            offer(publication, buffer, MessageHeaderEncoder.ENCODED_LENGTH + close.encodedLength(), deadlineNs);
            if (ControlResponseCode.ERROR == poller.code())
            {
                throw new ArchiveException(poller.errorMessage(), (int)poller.relevantId(), correlationId);
            }
            throw new IllegalStateException("the archive accepted protocol version " + version + ": code=" +
                poller.code() + " controlSessionId=" + controlSessionId);
        }
        catch (final RuntimeException ex)
        {
            throw JavaArchiveClient.classify(ex);
        }
    }

    private static void offer(
        final ExclusivePublication publication, final ExpandableArrayBuffer buffer, final int length, final long deadlineNs)
    {
        while (publication.offer(buffer, 0, length) < 0)
        {
            awaitDeadline(deadlineNs, "offer");
        }
    }

    private static void awaitDeadline(final long deadlineNs, final String step)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new TimeoutException("protocol version connect timeout: " + step);
        }
        Thread.yield();
    }
}
