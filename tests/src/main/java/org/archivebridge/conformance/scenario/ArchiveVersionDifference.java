package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.report.GateResult;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What an older Archive of the matrix does differently from 1.51.0, declared once per version with its reason. A
 * scenario that meets one asks {@link #appliesTo} and expects the older behaviour of both clients alike, so the
 * transcripts must still agree; the gate's reports list every declared difference of the versions and scenarios
 * they ran ({@link #declaredIn}), so none passes unseen. The reasons were found by running the gate on each version
 * and reading the release's own jar (codecs present, Archive.Context settings, the Archive's error texts).
 */
public enum ArchiveVersionDifference
{
    NO_SESSION_LIVENESS(List.of("1.44.1"), List.of("failure-unpolled-session", "extension-auto-poll"),
        "no control session liveness (1.47.3 has it): the Archive neither pings a session nor ends one whose responses" +
        " it cannot deliver (its Archive.Context has no session liveness setting, its ControlSession no '" +
        FailureModeScenarios.NOT_POLLING_TEXT + "' text), so an unpolled session survives, the next call works," +
        " and auto-poll has no termination to prevent"),
    NO_REPLAY_TOKEN(List.of("1.44.1"), List.of("replay-params"),
        "no ReplayTokenRequest (the 1.44.1 codecs, schema version 9, have none; 1.47.3's have it): a replay to a" +
        " control-mode=response channel asks for a token the Archive never answers, and both clients time out"),
    UDP_RESPONSE_CHANNEL_EXPERIMENTAL(List.of("1.47.3", "1.47.4"), List.of("replay-params"),
        "the 1.47 Media Driver creates UDP response publications only with experimental features on, so the Archive" +
        " refuses a replay to a UDP control-mode=response channel ('Response Channels is an experimental feature')"),
    NO_REPLAY_ALL_AND_STOP(List.of("1.44.1", "1.47.3", "1.47.4"), List.of("replay-params-positions"),
        "the Archive refuses a replay of length REPLAY_ALL_AND_STOP (GENERIC error), which 1.49.3 and 1.51.0 accept"),
    SILENT_ON_UNKNOWN_UPDATE_CHANNEL(List.of("1.47.3", "1.47.4"), List.of("unknown-ids"),
        "the 1.47 Archive never answers updateChannel for an unknown recording: both clients time out, and the" +
        " scenario asks only once");

    private final List<String> versions;
    private final List<String> scenarios;
    private final String reason;

    ArchiveVersionDifference(final List<String> versions, final List<String> scenarios, final String reason)
    {
        this.versions = versions;
        this.scenarios = scenarios;
        this.reason = reason;
    }

    public String reason()
    {
        return reason;
    }

    public List<String> versions()
    {
        return versions;
    }

    public List<String> scenarios()
    {
        return scenarios;
    }

    /** Whether the Archive a scenario runs against is one of the versions that behave so. */
    public boolean appliesTo(final ScenarioEnvironment environment)
    {
        return versions.contains(environment.server().version());
    }

    /**
     * The declared differences met by some results: one line per difference, naming the versions and scenarios of
     * the results it covers, then its reason. A scenario of a difference that was not run is left out.
     */
    public static List<String> declaredIn(final List<GateResult> results)
    {
        final List<String> lines = new ArrayList<>();
        for (final ArchiveVersionDifference difference : values())
        {
            final List<GateResult> met = results.stream().filter((result) ->
                difference.versions.contains(result.archiveVersion()) &&
                difference.scenarios.contains(result.scenario())).toList();
            if (!met.isEmpty())
            {
                final Set<String> versionsMet =
                    met.stream().map(GateResult::archiveVersion).collect(Collectors.toCollection(TreeSet::new));
                final Set<String> scenariosMet =
                    met.stream().map(GateResult::scenario).collect(Collectors.toCollection(LinkedHashSet::new));
                lines.add("Aeron " + String.join(", ", versionsMet) + ", " + String.join(", ", scenariosMet) + ": " +
                    difference.reason);
            }
        }
        return lines;
    }
}
