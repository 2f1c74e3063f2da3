package org.archivebridge.conformance.report;

import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.gate.Gate;
import org.archivebridge.conformance.scenario.ArchiveVersionDifference;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioVerdict;
import org.archivebridge.conformance.scenario.Scenarios;
import org.archivebridge.conformance.server.ArchiveVersions;
import org.archivebridge.conformance.transcript.Transcript;
import org.archivebridge.conformance.transcript.TranscriptComparator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an older Archive does differently is declared per version (ArchiveVersionDifference), checked on both
 * clients and listed in the reports: end to end on Archive 1.44.1, which has no session liveness, and on the
 * reports alone for results of a version with and without declared differences.
 */
class GateVersionDifferencesTest
{
    private static GateResult passed(final String version, final String scenarioName)
    {
        final Scenario scenario = Scenarios.named(scenarioName);
        final RunResult reference = new RunResult(scenario, ClientKind.JAVA,
            new Transcript(scenarioName, "reference-JAVA"), List.of(), List.of(), null, 1);
        final RunResult candidate = new RunResult(scenario, ClientKind.NATIVE,
            new Transcript(scenarioName, "candidate-NATIVE"), List.of(), List.of(), null, 1);
        return new GateResult(version, ScenarioEnvironment.Transport.UDP, new ScenarioVerdict(reference, candidate,
            TranscriptComparator.compare(reference.transcript(), candidate.transcript())));
    }

    @Test
    void archive1441IsInTheMatrixAndItsUnpolledSessionSurvivesOnBothClients(@TempDir final Path reportDir)
        throws Exception
    {
        assertEquals(List.of("1.44.1"), ArchiveVersions.parse("1.44.1"));
        final boolean passed = Gate.run("--archive-versions", "1.44.1", "--transport", "udp",
            "--scenarios", "failure-unpolled-session,replay-params-positions",
            "--candidate", TestSupport.candidate().name(), "--report-dir", reportDir.toString(),
            "--log-dir", TestSupport.logDir().toString());

        final String table = Files.readString(reportDir.resolve("table.txt"), StandardCharsets.UTF_8);
        assertTrue(passed, () -> "gate on 1.44.1 failed:\n" + table);
        assertTrue(table.contains("declared version difference, expected of both clients: Aeron 1.44.1, " +
            "failure-unpolled-session: " + ArchiveVersionDifference.NO_SESSION_LIVENESS.reason()), table);
        assertTrue(table.contains("Aeron 1.44.1, replay-params-positions: " +
            ArchiveVersionDifference.NO_REPLAY_ALL_AND_STOP.reason()), table);
    }

    @Test
    void theReportsListTheDifferencesOfTheVersionsAndScenariosRunAndNoOthers()
    {
        final List<GateResult> old = List.of(passed("1.44.1", "connect-close"),
            passed("1.44.1", "failure-unpolled-session"));
        final String expected = "Aeron 1.44.1, failure-unpolled-session: " +
            ArchiveVersionDifference.NO_SESSION_LIVENESS.reason();
        final String table = GateTable.render(old, ClientKind.NATIVE);
        assertTrue(table.contains("declared version difference, expected of both clients: " + expected), table);
        assertFalse(table.contains(ArchiveVersionDifference.NO_REPLAY_TOKEN.reason()), table);
        final String html = GateHtml.render(old, ClientKind.NATIVE);
        assertTrue(html.contains("<ul id=\"version-differences\">"), html);
        assertTrue(html.contains("<li>" + GateHtml.escape(expected) + "</li>"), html);

        final List<GateResult> current = List.of(passed("1.51.0", "failure-unpolled-session"));
        assertFalse(GateTable.render(current, ClientKind.NATIVE).contains("declared version difference"));
        assertFalse(GateHtml.render(current, ClientKind.NATIVE).contains("version-differences"));
    }

    @Test
    void everyDeclaredDifferenceNamesVersionsOfTheMatrixAndScenariosOfTheCatalogue()
    {
        for (final ArchiveVersionDifference difference : ArchiveVersionDifference.values())
        {
            assertFalse(difference.versions().isEmpty() || difference.scenarios().isEmpty(), difference.name());
            difference.versions().forEach((version) -> assertTrue(
                ArchiveVersions.ALL.contains(version) && !ArchiveVersions.DEFAULT.equals(version),
                difference + " names " + version + ", not an older version of the matrix " + ArchiveVersions.ALL));
            difference.scenarios().forEach((scenario) -> assertTrue(Scenarios.names().contains(scenario),
                difference + " names " + scenario + ", not a scenario of the catalogue"));
        }
    }
}
