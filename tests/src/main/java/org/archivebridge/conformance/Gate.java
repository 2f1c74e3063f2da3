package org.archivebridge.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The conformance gate: one embedded server, every selected scenario on AeronArchive and on the candidate, a table
 * of the results, the transcripts as JSON, and an exit code a release pipeline can trust (0 only if all passed).
 */
public final class Gate
{
    private Gate()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final GateOptions options;
        try
        {
            options = GateOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println(ex.getMessage());
            System.err.println(GateOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help())
        {
            System.out.println(GateOptions.USAGE);
            return;
        }

        System.exit(run(options) ? 0 : 1);
    }

    static boolean run(final GateOptions options) throws IOException, InterruptedException
    {
        final List<ScenarioVerdict> verdicts = new ArrayList<>();
        try (ScenarioEnvironment environment = ScenarioEnvironment.start(options.logDir()))
        {
            System.out.println("archive server up: aeron dir " + environment.server().aeronDirectoryName() +
                ", control " + environment.server().controlChannel() + ", log " + environment.server().logFile());
            final ScenarioRunner runner = new ScenarioRunner(environment);
            final int total = options.scenarios().size() * 2;
            int n = 0;
            for (final Scenario scenario : options.scenarios())
            {
                final RunResult reference = runner.run(scenario, ClientKind.JAVA, "reference-" + ClientKind.JAVA);
                progress(++n, total, reference);
                final RunResult candidate =
                    runner.run(scenario, options.candidate(), "candidate-" + options.candidate());
                progress(++n, total, candidate);
                verdicts.add(new ScenarioVerdict(reference, candidate,
                    TranscriptComparator.compare(reference.transcript(), candidate.transcript())));
            }
        }

        System.out.println();
        System.out.print(GateTable.render(verdicts, options.candidate()));
        writeReport(options.reportDir(), verdicts);
        verdicts.stream().filter((verdict) -> !verdict.passed()).forEach((verdict) ->
            System.out.println("\n" + verdict.reference().scenario().name() + ":\n" + verdict.report()));

        final boolean passed = verdicts.stream().allMatch(ScenarioVerdict::passed);
        System.out.println((passed ? "GATE PASSED" : "GATE FAILED") + " - transcripts in " +
            options.reportDir().toAbsolutePath());
        return passed;
    }

    private static void progress(final int n, final int total, final RunResult run)
    {
        System.out.printf("[%d/%d] %-22s %-18s %6d ms  %s%n", n, total, run.scenario().name(),
            run.transcript().client(), run.elapsedMs(), run.passed() ? "PASS" : "FAIL");
    }

    private static void writeReport(final Path reportDir, final List<ScenarioVerdict> verdicts) throws IOException
    {
        Files.createDirectories(reportDir);
        final List<Object> summary = new ArrayList<>();
        for (final ScenarioVerdict verdict : verdicts)
        {
            for (final RunResult run : List.of(verdict.reference(), verdict.candidate()))
            {
                final Path file = reportDir.resolve(run.scenario().name() + "." + run.transcript().client() + ".json");
                Files.writeString(file, run.transcript().toJson(), StandardCharsets.UTF_8);
            }

            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("scenario", verdict.reference().scenario().name());
            entry.put("reference", runSummary(verdict.reference()));
            entry.put("candidate", runSummary(verdict.candidate()));
            entry.put("transcriptsEqual", verdict.comparison().equal());
            entry.put("differences", verdict.comparison().differences());
            entry.put("passed", verdict.passed());
            summary.add(entry);
        }
        Files.writeString(reportDir.resolve("summary.json"), Json.write(summary), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> runSummary(final RunResult run)
    {
        final Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("client", run.transcript().client());
        summary.put("passed", run.passed());
        summary.put("elapsedMs", run.elapsedMs());
        summary.put("problems", run.problems());
        summary.put("checks", run.checks().stream().map(CheckResult::toString).toList());
        return summary;
    }
}
