package org.archivebridge.conformance.explore;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioVerdict;
import org.archivebridge.conformance.transcript.Step;
import org.archivebridge.conformance.transcript.Transcript;
import org.archivebridge.conformance.transcript.TranscriptComparator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Differential exploration: generated sequences run on AeronArchive and on the candidate against the same Archive,
 * each kind in a child JVM of its own (a crash or a hang is a finding, never the end of the explorer), transcripts
 * compared and the Archive's side checked as for any scenario. A failing sequence is shrunk and reported with its
 * seed, its index, the shrunk sequence and both transcripts.
 */
public final class Explorer implements AutoCloseable
{
    /** What an exploration found: a verdict per sequence (the shrunk one for a failure) and the findings' texts. */
    public record Report(
        long seed,
        int sequences,
        int operations,
        int shrinkRuns,
        List<ScenarioVerdict> verdicts,
        List<String> findings,
        List<String> accepted)
    {
        public boolean passed()
        {
            return findings.isEmpty();
        }

        public String summary()
        {
            return "explored " + sequences + " sequences (" + operations + " operations, seed " + seed + "), " +
                findings.size() + " failing" + (shrinkRuns > 0 ? ", " + shrinkRuns + " shrink runs" : "") + ", " +
                accepted.size() + " accepted differences (an argument refused)";
        }
    }

    /** A child that stops answering for this long is hung: far past the message timeout of any one call. */
    public static final long HANG_MS = 60_000;
    private static final int SHRINK_TRIES = 60;
    private static final Set<String> FAILURE_LABELS = Set.of("TIMEOUT", "NO_DRIVER", "CLOSED", "OTHER");

    private final ClientKind candidate;
    private final long seed;
    private final Set<Exclusion> exclusions;
    private final PrintStream log;
    private final WorkerProcess reference;
    private final WorkerProcess other;
    private final SequenceGenerator generator;
    private final List<String> accepted = new ArrayList<>();

    /**
     * @param exclusions "all" (the default while their defects are open), "none", or names of {@link Exclusion}s.
     * @param workDir    where the child JVMs run and leave an hs_err file if they crash.
     */
    public Explorer(
        final ScenarioEnvironment environment,
        final ClientKind candidate,
        final long seed,
        final String exclusions,
        final Path workDir,
        final PrintStream log)
    {
        this.candidate = candidate;
        this.seed = seed;
        this.exclusions = Exclusion.parse(exclusions);
        this.log = log;
        this.generator = new SequenceGenerator(seed, this.exclusions);
        this.reference = new WorkerProcess(ClientKind.JAVA, environment, this.exclusions,
            workDir.resolve("reference"), HANG_MS);
        this.other = new WorkerProcess(candidate, environment, this.exclusions, workDir.resolve("candidate"), HANG_MS);
    }

    /** The exclusions in force, one line each, for the reports. */
    public List<String> exclusionNotes()
    {
        return exclusions.stream().map((e) -> "explorer excludes " + e.name() + ": " + e.description()).toList();
    }

    public Report explore(final int sequences)
    {
        final List<ScenarioVerdict> verdicts = new ArrayList<>();
        final List<String> findings = new ArrayList<>();
        accepted.clear();
        int operations = 0;
        int shrinkRuns = 0;
        for (int i = 0; i < sequences; i++)
        {
            final String name = "explore-" + seed + "-" + i;
            final List<Op> ops = generator.sequence(i);
            operations += ops.size();
            final ScenarioVerdict verdict = compare(name, ops);
            log.printf("[explore %d/%d] %s: %d operations, %d + %d ms: %s%n", i + 1, sequences, name, ops.size(),
                verdict.reference().elapsedMs(), verdict.candidate().elapsedMs(),
                verdict.passed() ? "PASS" : "FAIL (" + signature(verdict) + ")");
            if (verdict.passed())
            {
                verdicts.add(verdict);
                continue;
            }
            final String signature = signature(verdict);
            final ScenarioVerdict[] smallest = { verdict };
            final Shrinker shrinker = new Shrinker(SHRINK_TRIES);
            final List<Op> shrunk = shrinker.shrink(ops, (candidateOps) ->
            {
                final ScenarioVerdict tried = compare(name, candidateOps);
                final boolean same = !tried.passed() && sameCall(signature, signature(tried));
                if (same)
                {
                    smallest[0] = tried;
                }
                return same;
            });
            shrinkRuns += shrinker.tries();
            final String finding = finding(name, i, ops, shrunk, smallest[0], signature);
            log.println(finding);
            findings.add(finding);
            verdicts.add(smallest[0]);
        }
        return new Report(seed, sequences, operations, shrinkRuns, verdicts, findings,
            accepted.stream().distinct().toList());
    }

    private String finding(
        final String name,
        final int index,
        final List<Op> ops,
        final List<Op> shrunk,
        final ScenarioVerdict verdict,
        final String signature)
    {
        return "FINDING " + name + " (seed " + seed + ", sequence " + index + "): " + signature + "\n" +
            "  sequence (" + ops.size() + " operations): " + ops + "\n" +
            "  shrunk to " + shrunk.size() + " operations: " + shrunk + "\n" +
            "  replay it with: ./gate --explore " + (index + 1) + " --seed " + seed + "\n" +
            verdict.report().indent(2) +
            "  reference transcript:\n" + verdict.reference().transcript().toJson().indent(4) +
            "  candidate transcript:\n" + verdict.candidate().transcript().toJson().indent(4);
    }

    /** One sequence on both clients, reference first, as explore runs each: the verdict of their transcripts. */
    ScenarioVerdict compare(final String name, final List<Op> ops)
    {
        final Scenario scenario = new Scenario(name, "generated sequence: " + ops, (run) ->
        {
            throw new IllegalStateException("an explored sequence runs in a child JVM");
        });
        final WorkerProcess.Outcome ref = outcome(reference, name, Long.MAX_VALUE, ops);
        final WorkerProcess.Outcome cand = outcome(other, name, ref.startMark(), ops);
        final List<Step> candidateSteps = new ArrayList<>(cand.steps());
        cand.refused().forEach((index, reason) ->
        {
            if (index < ref.steps().size() && index < candidateSteps.size())
            {
                final Step expected = ref.steps().get(index);
                final Step actual = candidateSteps.get(index);
                final boolean nullArgument = actual.arguments().contains("null");
                if (expected.call().equals(actual.call()) && !expected.outcome().equals(actual.outcome()) &&
                    (nullArgument || failed(expected.outcome())))
                {
                    final String referenceRefusal = ref.refused().get(index);
                    accepted.add(name + " step " + (index + 1) + " " + abbreviated(actual.call()) + ": " + candidate +
                        " refused " + (nullArgument ? "a null argument" : "the argument") + " (" + reason +
                        "), AeronArchive -> " + expected.outcome() +
                        (null == referenceRefusal ? "" : " (" + abbreviated(referenceRefusal) + ")"));
                    candidateSteps.set(index, actual.withOutcome(expected.outcome()));
                }
            }
        });
        final RunResult refRun = result(scenario, ClientKind.JAVA, "reference-" + ClientKind.JAVA, ref, ref.steps());
        final RunResult candRun = result(scenario, candidate, "candidate-" + candidate, cand, candidateSteps);
        return new ScenarioVerdict(refRun, candRun,
            TranscriptComparator.compare(refRun.transcript(), candRun.transcript()));
    }

    private static WorkerProcess.Outcome outcome(
        final WorkerProcess worker, final String name, final long hiddenFrom, final List<Op> ops)
    {
        try
        {
            return worker.run(name, hiddenFrom, ops);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("explorer interrupted", ex);
        }
    }

    private static RunResult result(
        final Scenario scenario,
        final ClientKind kind,
        final String label,
        final WorkerProcess.Outcome outcome,
        final List<Step> steps)
    {
        final Transcript transcript = new Transcript(scenario.name(), label);
        steps.forEach(transcript::add);
        final Throwable unexpected = outcome.died() ? new WorkerDeath(outcome.death(), outcome.deathSignature()) :
            null == outcome.unexpected() ? null : new ChildFailure(outcome.unexpected());
        return new RunResult(scenario, kind, transcript, outcome.unmetExpectations(), outcome.checks(), unexpected,
            outcome.elapsedMs());
    }

    /**
     * Whether two failures happened at the same call: a native heap corrupted by one call may crash the JVM in one
     * run and only garble an answer in the next, so the shrinker follows the call, not the way it failed.
     */
    static boolean sameCall(final String signature, final String other)
    {
        final int at = signature.lastIndexOf(" at ");
        final int otherAt = other.lastIndexOf(" at ");
        return at < 0 || otherAt < 0 ? signature.equals(other) :
            signature.substring(at).equals(other.substring(otherAt));
    }

    /** A transcript outcome that is a failure label rather than a value. */
    private static boolean failed(final String outcome)
    {
        return outcome.startsWith("ERROR(") || FAILURE_LABELS.contains(outcome);
    }

    private static String abbreviated(final String text)
    {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    /** How a verdict failed, in words a shrunk sequence must keep: who died where, which call differs, or what. */
    static String signature(final ScenarioVerdict verdict)
    {
        for (final RunResult run : List.of(verdict.candidate(), verdict.reference()))
        {
            if (run.unexpected() instanceof WorkerDeath death)
            {
                return run.transcript().client() + " " + death.signature();
            }
        }
        final List<Step> expected = verdict.reference().transcript().steps();
        final List<Step> actual = verdict.candidate().transcript().steps();
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
        {
            if (!expected.get(i).equals(actual.get(i)))
            {
                return "differs at " + expected.get(i).operation();
            }
        }
        if (expected.size() != actual.size())
        {
            return "differs in length";
        }
        for (final RunResult run : List.of(verdict.candidate(), verdict.reference()))
        {
            if (!run.problems().isEmpty())
            {
                final String problem = run.problems().get(0);
                return run.transcript().client() + " " + problem.substring(0, Math.min(problem.length(), 40));
            }
        }
        return "fails";
    }

    public void close()
    {
        reference.close();
        other.close();
    }
}
