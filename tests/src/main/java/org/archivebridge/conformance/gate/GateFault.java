package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.FaultyClose;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.transcript.Step;
import org.archivebridge.conformance.transcript.Transcript;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Faults the gate can inject into the candidate's side on purpose, for the negative controls only: each must make
 * the gate fail, which proves the checks behind it can fail at all.
 */
enum GateFault
{
    /** No fault: the normal gate. */
    NONE,

    /**
     * An extra scenario in which the candidate releases its transport without sending CloseSessionRequest (the
     * faulty close mode both client adapters have for tests), while the reference closes properly.
     */
    SKIP_CLOSE,

    /** Every candidate transcript gets one step the reference never made, as a broken client's would. */
    ALTER_TRANSCRIPT;

    static final String SKIP_CLOSE_SCENARIO = "negative-control-skip-close";

    private static final Scenario PROPER_CLOSE = new Scenario(SKIP_CLOSE_SCENARIO,
        "negative control: the reference connects and closes", (run) ->
        {
            final ArchiveClient client = run.connect(run.environment().udpSettings());
            run.close(client);
        });

    private static final Scenario FAULTY_CLOSE = new Scenario(SKIP_CLOSE_SCENARIO,
        "negative control: the candidate leaves without CloseSessionRequest", (run) ->
        {
            final FaultyClose client = run.connectWithFaultyClose(run.environment().udpSettings());
            client.releaseWithoutClosingSession();
        });

    static GateFault named(final String name)
    {
        try
        {
            return valueOf(name.trim().replace('-', '_').toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("unknown negative control " + name + "; known: " + names(), ex);
        }
    }

    static List<String> names()
    {
        return Arrays.stream(values()).filter((fault) -> fault != NONE)
            .map((fault) -> fault.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
    }

    List<Scenario> extraScenarios()
    {
        return this == SKIP_CLOSE ? List.of(PROPER_CLOSE) : List.of();
    }

    /** The scenario the candidate runs in place of the one the reference runs. */
    Scenario forCandidate(final Scenario scenario)
    {
        return this == SKIP_CLOSE && scenario == PROPER_CLOSE ? FAULTY_CLOSE : scenario;
    }

    /** Alter a candidate's transcript after its run, if this fault does that. */
    void alter(final Transcript candidateTranscript)
    {
        if (this == ALTER_TRANSCRIPT)
        {
            candidateTranscript.add(new Step("injectedByNegativeControl", List.of(), "ok", List.of()));
        }
    }
}
