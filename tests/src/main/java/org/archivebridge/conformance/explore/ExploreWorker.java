package org.archivebridge.conformance.explore;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioRunner;
import org.archivebridge.conformance.server.ArchiveServer;
import org.archivebridge.conformance.server.CheckResult;
import org.archivebridge.conformance.transcript.Step;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The child JVM that runs sequences on one client kind against the parent's Archive, so that a crash of the client
 * ends this process, not the explorer. It reads one sequence a line ({@code name hidden-from encoded-ops}, see
 * {@link SequenceRun} for hidden-from) from stdin, and for each prints, in {@link WireFormat} lines: the catalogue
 * mark its run began at, the index of every operation before it runs, the transcript's new steps after it, then the
 * server checks, the unmet expectations, anything unexpected, and DONE.
 * <p>
 * Arguments: client kind, transport, aeron dir, archive dir, control channel, control stream id, local control
 * stream id, exclusions.
 */
public final class ExploreWorker
{
    private ExploreWorker()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ClientKind kind = ClientKind.valueOf(args[0]);
        final ScenarioEnvironment.Transport transport = ScenarioEnvironment.Transport.valueOf(args[1]);
        final Set<Exclusion> exclusions = Exclusion.parse(args[7]);
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        // Whatever else prints to stdout (Aeron, JavaCPP) goes to stderr, which the parent keeps as last words.
        System.setOut(System.err);
        try (ScenarioEnvironment environment = ScenarioEnvironment.attach(ArchiveServer.attach(args[2],
            Path.of(args[3]), args[4], Integer.parseInt(args[5]), Integer.parseInt(args[6])), transport))
        {
            final ScenarioRunner runner = new ScenarioRunner(environment);
            out.println(WireFormat.line(WireFormat.READY));
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while (null != (line = in.readLine()))
            {
                final String[] parts = line.split(" ", 3);
                final long hiddenFrom = Long.parseLong(parts[1]);
                final List<Op> ops = Op.decodeAll(parts.length < 3 ? "" : parts[2]);
                runOne(runner, kind, parts[0], hiddenFrom, ops, exclusions, out);
            }
        }
    }

    private static void runOne(
        final ScenarioRunner runner,
        final ClientKind kind,
        final String name,
        final long hiddenFrom,
        final List<Op> ops,
        final Set<Exclusion> exclusions,
        final PrintStream out)
    {
        final int[] printed = { 0 };
        final SequenceRun.Progress progress = new SequenceRun.Progress()
        {
            public void before(final int index, final Op op, final List<Step> stepsSoFar)
            {
                printed[0] = print(stepsSoFar, printed[0], out);
                out.println(WireFormat.line(WireFormat.OP, Integer.toString(index)));
            }

            public void after(final int index, final List<Step> stepsSoFar)
            {
                printed[0] = print(stepsSoFar, printed[0], out);
            }

            public void refused(final int stepIndex, final String reason)
            {
                out.println(WireFormat.line(WireFormat.REFUSED, Integer.toString(stepIndex),
                    WireFormat.text(reason)));
            }

            public void marked(final long startMark)
            {
                out.println(WireFormat.line(WireFormat.MARK, Long.toString(startMark)));
            }
        };
        final Scenario scenario = new Scenario(name, "generated sequence",
            (run) -> new SequenceRun(run, exclusions, hiddenFrom).execute(ops, progress));
        final RunResult result = runner.run(scenario, kind, kind.name());
        print(result.transcript().steps(), printed[0], out);
        for (final CheckResult check : result.checks())
        {
            out.println(WireFormat.check(check));
        }
        result.unmetExpectations().forEach((text) -> out.println(WireFormat.line(WireFormat.EXPECT,
            WireFormat.text(text))));
        if (null != result.unexpected())
        {
            final StringWriter trace = new StringWriter();
            result.unexpected().printStackTrace(new PrintWriter(trace));
            out.println(WireFormat.line(WireFormat.UNEXPECTED, WireFormat.text(trace.toString())));
        }
        out.println(WireFormat.line(WireFormat.DONE, Long.toString(result.elapsedMs())));
    }

    private static int print(final List<Step> steps, final int from, final PrintStream out)
    {
        for (int i = from; i < steps.size(); i++)
        {
            out.println(WireFormat.step(steps.get(i)));
        }
        return Math.max(from, steps.size());
    }
}
