package org.archivebridge.conformance.report;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.report.GateResult;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioVerdict;
import org.archivebridge.conformance.scenario.Scenarios;
import org.archivebridge.conformance.transcript.Transcript;
import org.archivebridge.conformance.transcript.TranscriptComparator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Extensions (features of the candidate that AeronArchive lacks, such as auto-poll) are listed as such in the
 * console table and the HTML report, and only when the results hold one.
 */
class GateReportExtensionsTest
{
    private static GateResult passed(final String scenarioName)
    {
        final Scenario scenario = Scenarios.named(scenarioName);
        final RunResult reference = new RunResult(scenario, ClientKind.JAVA,
            new Transcript(scenarioName, "reference-JAVA"), List.of(), List.of(), null, 1);
        final RunResult candidate = new RunResult(scenario, ClientKind.NATIVE,
            new Transcript(scenarioName, "candidate-NATIVE"), List.of(), List.of(), null, 1);
        return new GateResult("1.51.0", ScenarioEnvironment.Transport.UDP, new ScenarioVerdict(reference, candidate,
            TranscriptComparator.compare(reference.transcript(), candidate.transcript())));
    }

    @Test
    void anExtensionIsListedAsAnExtensionInTheTableAndThePage()
    {
        final List<GateResult> results = List.of(passed("connect-close"), passed("extension-auto-poll"));
        final String expected = "extension-auto-poll: " + Scenarios.named("extension-auto-poll").description();

        final String table = GateTable.render(results, ClientKind.NATIVE);
        assertTrue(table.contains("extension, not a difference: " + expected), table);

        final String html = GateHtml.render(results, ClientKind.NATIVE);
        assertTrue(html.contains("<ul id=\"extensions\">"), html);
        assertTrue(html.contains("<li>" + GateHtml.escape(expected) + "</li>"), html);
    }

    @Test
    void resultsWithoutAnExtensionListNone()
    {
        final List<GateResult> results = List.of(passed("connect-close"));
        assertFalse(GateTable.render(results, ClientKind.NATIVE).contains("extension"));
        assertFalse(GateHtml.render(results, ClientKind.NATIVE).contains("id=\"extensions\""));
    }
}
