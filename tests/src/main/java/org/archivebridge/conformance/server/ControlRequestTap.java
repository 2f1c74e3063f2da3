package org.archivebridge.conformance.server;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.codecs.AuthConnectRequestDecoder;
import io.aeron.archive.codecs.CloseSessionRequestDecoder;
import io.aeron.archive.codecs.ConnectRequestDecoder;
import io.aeron.archive.codecs.MessageHeaderDecoder;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens in on the Archive's control request stream and decodes every request with Aeron's own codecs, so the
 * suite sees what a client actually sent, not what it says it sent.
 * <p>
 * An extra subscriber on {@code aeron:ipc} sees every IPC client's requests; for UDP an {@code aeron-spy:}
 * subscription on the control channel sees every request published through the same driver. A background thread
 * polls continuously: an IPC subscriber that falls behind would hold the clients back.
 */
public final class ControlRequestTap implements AutoCloseable
{
    /** A connect request as the Archive receives it (plain or authenticated). */
    public record ConnectRequest(
        long correlationId, int responseStreamId, int version, String responseChannel, String clientInfo)
    {
    }

    private final Subscription subscription;
    private final Thread poller;
    private final Set<Long> closedSessionIds = ConcurrentHashMap.newKeySet();
    private final List<ConnectRequest> connectRequests = new CopyOnWriteArrayList<>();
    private final Map<Integer, Integer> templateCounts = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CloseSessionRequestDecoder closeSessionDecoder = new CloseSessionRequestDecoder();
    private final ConnectRequestDecoder connectDecoder = new ConnectRequestDecoder();
    private final AuthConnectRequestDecoder authConnectDecoder = new AuthConnectRequestDecoder();

    public ControlRequestTap(final Aeron aeron, final String channel, final int streamId)
    {
        subscription = aeron.addSubscription(channel, streamId);
        final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
        poller = new Thread(() -> poll(assembler), "control-request-tap");
        poller.setDaemon(true);
        poller.start();
    }

    /** The tap channel for a client's control request channel: spy on UDP, plain subscriber on IPC. */
    public static String tapChannelFor(final String controlRequestChannel)
    {
        return controlRequestChannel.startsWith("aeron:ipc") ? controlRequestChannel :
            "aeron-spy:" + controlRequestChannel;
    }

    public String channel()
    {
        return subscription.channel();
    }

    public boolean sawCloseSession(final long controlSessionId)
    {
        return closedSessionIds.contains(controlSessionId);
    }

    public List<ConnectRequest> connectRequests()
    {
        return List.copyOf(connectRequests);
    }

    /** How many requests of each SBE template id were seen, for diagnosing a failed check. */
    public Map<Integer, Integer> templateCounts()
    {
        return new TreeMap<>(templateCounts);
    }

    public void close()
    {
        running = false;
        try
        {
            poller.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        subscription.close();
    }

    private void poll(final FragmentAssembler assembler)
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        while (running)
        {
            idle.idle(subscription.poll(assembler, 100));
        }
    }

    private void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return;
        }

        final int templateId = headerDecoder.templateId();
        templateCounts.merge(templateId, 1, Integer::sum);
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        final int blockLength = headerDecoder.blockLength();
        final int version = headerDecoder.version();

        switch (templateId)
        {
            case CloseSessionRequestDecoder.TEMPLATE_ID ->
            {
                closeSessionDecoder.wrap(buffer, bodyOffset, blockLength, version);
                closedSessionIds.add(closeSessionDecoder.controlSessionId());
            }
            case ConnectRequestDecoder.TEMPLATE_ID ->
            {
                connectDecoder.wrap(buffer, bodyOffset, blockLength, version);
                connectRequests.add(new ConnectRequest(
                    connectDecoder.correlationId(),
                    connectDecoder.responseStreamId(),
                    connectDecoder.version(),
                    connectDecoder.responseChannel(),
                    ""));
            }
            case AuthConnectRequestDecoder.TEMPLATE_ID ->
            {
                authConnectDecoder.wrap(buffer, bodyOffset, blockLength, version);
                // Variable-length fields are read in schema order: the channel, the credentials, then the client info.
                final long correlationId = authConnectDecoder.correlationId();
                final int responseStreamId = authConnectDecoder.responseStreamId();
                final int clientVersion = authConnectDecoder.version();
                final String responseChannel = authConnectDecoder.responseChannel();
                authConnectDecoder.skipEncodedCredentials();
                connectRequests.add(new ConnectRequest(
                    correlationId, responseStreamId, clientVersion, responseChannel, authConnectDecoder.clientInfo()));
            }
            default ->
            {
                // Other requests are counted only.
            }
        }
    }
}
