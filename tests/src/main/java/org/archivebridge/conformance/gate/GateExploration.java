package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.explore.Explorer;
import org.archivebridge.conformance.report.GateResult;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * The gate's --explore: in each chosen Archive version and transport cell, N generated sequences on AeronArchive and
 * on the candidate instead of the catalogue, each a row of the same table and reports; the findings, shrunk, also
 * go to explore-findings.txt in the report directory.
 */
final class GateExploration
{
    private GateExploration()
    {
    }

    static boolean run(final GateOptions options) throws IOException, InterruptedException
    {
        final GateOptions.Exploration exploration = options.exploration();
        System.out.println("exploring " + exploration.sequences() + " sequences per cell, seed " + exploration.seed());
        final List<GateResult> results = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        final List<String> findings = new ArrayList<>();
        for (final String version : options.archiveVersions())
        {
            for (final ScenarioEnvironment.Transport transport : options.transports())
            {
                try (ScenarioEnvironment environment = Gate.environment(options, version, transport);
                    Explorer explorer = new Explorer(environment, options.candidate(), exploration.seed(),
                        exploration.exclusions(), options.reportDir().resolve("explore").resolve(
                            version + "-" + transport.name().toLowerCase(java.util.Locale.ROOT)), System.out))
                {
                    final Explorer.Report report = explorer.explore(exploration.sequences());
                    report.verdicts().forEach((verdict) -> results.add(new GateResult(version, transport, verdict)));
                    notes.add(version + "/" + transport.name().toLowerCase(java.util.Locale.ROOT) + ": " +
                        report.summary());
                    findings.addAll(report.findings());
                    report.accepted().forEach((difference) -> notes.add("accepted difference: " + difference));
                    if (notes.size() == 1)
                    {
                        notes.addAll(explorer.exclusionNotes());
                    }
                }
            }
        }
        Files.createDirectories(options.reportDir());
        Files.writeString(options.reportDir().resolve("explore-findings.txt"),
            findings.isEmpty() ? "no findings\n" : String.join("\n", findings));
        return Gate.report(options, results, notes);
    }
}
