package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.FaultyClose;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.client.RecordingDescriptor;
import org.archivebridge.conformance.client.SignalLog;
import org.archivebridge.conformance.client.SubscriptionDescriptor;
import org.archivebridge.conformance.server.ControlRequestTap;
import org.archivebridge.conformance.transcript.DescriptorFields;
import org.archivebridge.conformance.transcript.Step;
import org.archivebridge.conformance.transcript.Symbols;
import org.archivebridge.conformance.transcript.Transcript;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * What a scenario works through: it connects clients of the kind under test, makes recorded calls (each one a
 * normalised {@link Step} in the transcript), and states expectations. It also remembers every client it connected,
 * so the runner can check on the server that each was closed properly, and closes any the scenario left open.
 */
public final class ScenarioRun
{
    /** A connected client and the tap that must see its CloseSessionRequest. */
    record Connection(ArchiveClient client, long controlSessionId, ControlRequestTap tap)
    {
    }

    private final ScenarioEnvironment environment;
    private final ClientKind kind;
    private final Transcript transcript;
    private final Symbols symbols = new Symbols();
    private final List<Connection> connections = new ArrayList<>();
    private final Set<ArchiveClient> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> unmetExpectations = new ArrayList<>();

    ScenarioRun(final ScenarioEnvironment environment, final ClientKind kind, final Transcript transcript)
    {
        this.environment = environment;
        this.kind = kind;
        this.transcript = transcript;
    }

    public ScenarioEnvironment environment()
    {
        return environment;
    }

    /** The client kind under test, for scenarios that connect it somewhere other than the shared server. */
    public ClientKind kind()
    {
        return kind;
    }

    /**
     * Connect a client of the kind under test and record the step.
     *
     * @return the client, or null when the connect failed (the failure is in the transcript).
     */
    public ArchiveClient connect(final ClientSettings settings)
    {
        return connect(settings, kind::connect);
    }

    /**
     * Connect a client of the kind under test through its asynchronous connect, and record the step.
     *
     * @return the client, or null when the connect failed (the failure is in the transcript).
     */
    public ArchiveClient connectAsync(final ClientSettings settings)
    {
        return connect(settings, kind::connectAsync);
    }

    /**
     * Connect a client of the kind under test in its deliberately faulty mode (negative controls only), and
     * record the step.
     *
     * @return the client, or null when the connect failed (the failure is in the transcript).
     */
    public FaultyClose connectWithFaultyClose(final ClientSettings settings)
    {
        return connect(settings, kind::connectWithFaultyClose);
    }

    /**
     * Connect a client of the kind under test to an archive other than the environment's (replication's second
     * archive), whose control requests this tap sees, so the CloseSessionRequest check covers that archive too.
     *
     * @return the client, or null when the connect failed (the failure is in the transcript).
     */
    public ArchiveClient connect(final ClientSettings settings, final ControlRequestTap tap)
    {
        return connect(settings, kind::connect, tap);
    }

    /**
     * Connect through a connector of the caller's (the kind under test's, watched), and record the step.
     *
     * @return the client, or null when the connect failed (the failure is in the transcript).
     */
    public <C extends ArchiveClient> C connect(final ClientSettings settings, final Function<ClientSettings, C> connector)
    {
        return connect(settings, connector, environment.tapFor(settings));
    }

    private <C extends ArchiveClient> C connect(
        final ClientSettings settings, final Function<ClientSettings, C> connector, final ControlRequestTap tap)
    {
        final String transport = settings.controlRequestChannel().startsWith("aeron:ipc") ? "ipc" : "udp";
        final Step step = new Step("connect",
            List.of(transport, "requestStream=" + settings.controlRequestStreamId()), "", List.of());
        try
        {
            final C client = connector.apply(settings);
            connections.add(new Connection(client, client.controlSessionId(), tap));
            open.add(client);
            transcript.add(step.withOutcome(symbols.of("controlSession", client.controlSessionId())));
            return client;
        }
        catch (final ClientFailure failure)
        {
            transcript.add(step.withOutcome(failure.label()));
            return null;
        }
    }

    /** Close a client (it must send CloseSessionRequest) and record the step. */
    public Outcome close(final ArchiveClient client)
    {
        open.remove(client);
        return action("close", List.of(), client::close);
    }

    /** A call whose result is a plain value, compared as is. */
    public Outcome value(final String operation, final List<String> arguments, final LongSupplier call)
    {
        return record(operation, arguments, call, null);
    }

    /** A call whose result is an id the server assigns, recorded as a symbol of this kind. */
    public Outcome id(final String kind, final String operation, final List<String> arguments, final LongSupplier call)
    {
        return record(operation, arguments, call, kind);
    }

    /** A call without a result, recorded as {@code ok} or its failure. */
    public Outcome action(final String operation, final List<String> arguments, final Runnable call)
    {
        final Outcome outcome = attempt(() ->
        {
            call.run();
            return 0;
        });
        transcript.add(new Step(operation, arguments, outcome.failureLabel(), List.of()));
        return outcome;
    }

    /** A listing: the count it returns and every descriptor it delivers. */
    public Outcome listing(
        final String operation, final List<String> arguments, final ToIntFunction<Consumer<RecordingDescriptor>> call)
    {
        return listing(operation, arguments, call, "recording");
    }

    /** A listing of another archive's recordings (a replica), whose ids are symbols of their own kind. */
    public Outcome listing(
        final String operation,
        final List<String> arguments,
        final ToIntFunction<Consumer<RecordingDescriptor>> call,
        final String recordingKind)
    {
        final List<Map<String, String>> descriptors = new ArrayList<>();
        final Outcome outcome = attempt(() -> call.applyAsInt(
            (descriptor) -> descriptors.add(DescriptorFields.of(descriptor, symbols, recordingKind))));
        transcript.add(new Step(operation, arguments, outcome.ok() ? Long.toString(outcome.value()) :
            outcome.failureLabel(), descriptors));
        return outcome;
    }

    /** A call answering yes or no, recorded as {@code true} or {@code false} or its failure. */
    public Outcome flag(final String operation, final List<String> arguments, final BooleanSupplier call)
    {
        final Outcome outcome = attempt(() -> call.getAsBoolean() ? 1 : 0);
        transcript.add(new Step(operation, arguments, outcome.ok() ? Boolean.toString(outcome.value() == 1) :
            outcome.failureLabel(), List.of()));
        return outcome;
    }

    /** A call answering a text or null, recorded as it is ({@code null} for none) or its failure. */
    public String text(final String operation, final List<String> arguments, final Supplier<String> call)
    {
        final String[] result = new String[1];
        final Outcome outcome = attempt(() ->
        {
            result[0] = call.get();
            return 0;
        });
        transcript.add(new Step(operation, arguments, outcome.ok() ? String.valueOf(result[0]) : outcome.failureLabel(),
            List.of()));
        return result[0];
    }

    /** A listing of recording subscriptions: the count it returns and every descriptor it delivers. */
    public Outcome subscriptionListing(
        final String operation,
        final List<String> arguments,
        final ToIntFunction<Consumer<SubscriptionDescriptor>> call)
    {
        final List<Map<String, String>> descriptors = new ArrayList<>();
        final Outcome outcome = attempt(() -> call.applyAsInt((descriptor) -> descriptors.add(Map.of(
            "subscriptionId", symbols.of("subscription", descriptor.subscriptionId()),
            "streamId", Integer.toString(descriptor.streamId()),
            "strippedChannel", descriptor.strippedChannel()))));
        transcript.add(new Step(operation, arguments, outcome.ok() ? Long.toString(outcome.value()) :
            outcome.failureLabel(), descriptors));
        return outcome;
    }

    /**
     * The recording signals a client received, polling for them until at least {@code expected} arrived or the
     * timeout passed (polling is timing, so it stays out of the transcript), recorded as one step listing them.
     */
    public List<SignalLog.Signal> signals(
        final ArchiveClient client, final int expected, final long timeoutMs, final List<SignalLog.Signal> sofar)
    {
        final List<SignalLog.Signal> received = new ArrayList<>(sofar);
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (received.size() < expected && System.currentTimeMillis() < deadline)
        {
            try
            {
                client.pollForRecordingSignals();
            }
            catch (final ClientFailure failure)
            {
                break;
            }
            received.addAll(client.takeSignals());
            Sleep.millis(1);
        }
        received.addAll(client.takeSignals());
        final List<Map<String, String>> fields = new ArrayList<>();
        for (final SignalLog.Signal signal : received)
        {
            fields.add(Map.of(
                "signal", signal.signal(),
                "recordingId", symbols.of("recording", signal.recordingId()),
                "position", Long.toString(signal.position())));
        }
        transcript.add(new Step("recordingSignals", List.of(Integer.toString(expected)), Integer.toString(received.size()),
            fields));
        return received;
    }

    /** The steps recorded so far, for a run that reports its progress while it goes (the explorer's child JVM). */
    public List<Step> steps()
    {
        return transcript.steps();
    }

    /** The symbol for a server-assigned id, to use as an argument: {@code symbol("recording", id)}. */
    public String symbol(final String kind, final long value)
    {
        return symbols.of(kind, value);
    }

    public void expect(final boolean condition, final String expectation)
    {
        if (!condition)
        {
            unmetExpectations.add(expectation);
        }
    }

    public void expectOutcome(final Outcome outcome, final String label, final String what)
    {
        expect(outcome.failureLabel().equals(label), what + ": expected " + label + ", got " +
            (outcome.ok() ? "ok" : outcome.failure().getMessage()));
    }

    /** The outcome of the last recorded step, e.g. the failure label of a connect that returned null. */
    public String lastOutcome()
    {
        final List<Step> steps = transcript.steps();
        return steps.isEmpty() ? "" : steps.get(steps.size() - 1).outcome();
    }

    List<String> unmetExpectations()
    {
        return List.copyOf(unmetExpectations);
    }

    List<Connection> connections()
    {
        return List.copyOf(connections);
    }

    /** Closes what a scenario left open (unrecorded), so one faulty scenario cannot leak sessions into the next. */
    void closeLeftovers()
    {
        for (final ArchiveClient client : open)
        {
            try
            {
                client.close();
            }
            catch (final ClientFailure ignore)
            {
                // The server checks that follow show whether the session really ended.
            }
        }
        open.clear();
    }

    private Outcome record(
        final String operation, final List<String> arguments, final LongSupplier call, final String symbolKind)
    {
        final Outcome outcome = attempt(call);
        final String result = !outcome.ok() ? outcome.failureLabel() :
            symbolKind == null ? Long.toString(outcome.value()) : symbols.of(symbolKind, outcome.value());
        transcript.add(new Step(operation, arguments, result, List.of()));
        return outcome;
    }

    private static Outcome attempt(final LongSupplier call)
    {
        try
        {
            return Outcome.success(call.getAsLong());
        }
        catch (final ClientFailure failure)
        {
            return Outcome.failed(failure);
        }
    }

    /**
     * Connect a client of the kind under test with a credentials supplier (synchronously when asyncStates is null,
     * else through its asynchronous connect, reporting each state), and record the step.
     *
     * @return the client, or null when the connect failed (the failure is in the transcript).
     */
    public ArchiveClient connectWithCredentials(
        final ClientSettings settings,
        final io.aeron.security.CredentialsSupplier credentials,
        final Consumer<String> asyncStates)
    {
        return connect(settings, (s) -> kind.connectWithCredentials(s, credentials, asyncStates));
    }

    /**
     * Something the scenario observed rather than called, e.g. the recording events a client's adapter handed over,
     * recorded with an outcome and fields the scenario has already normalised.
     */
    public void observed(
        final String operation, final List<String> arguments, final String outcome,
        final List<Map<String, String>> fields)
    {
        transcript.add(new Step(operation, arguments, outcome, fields));
    }
}
