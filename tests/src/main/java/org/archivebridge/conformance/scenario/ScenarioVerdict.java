package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.transcript.TranscriptComparator;

/** One scenario on the reference and on the candidate, and whether their transcripts agree. */
public record ScenarioVerdict(RunResult reference, RunResult candidate, TranscriptComparator.Comparison comparison)
{
    public boolean passed()
    {
        return reference.passed() && candidate.passed() && comparison.equal();
    }

    /** Everything that went wrong, for a test failure message or the gate's report. */
    public String report()
    {
        final StringBuilder out = new StringBuilder();
        for (final RunResult run : new RunResult[]{ reference, candidate })
        {
            run.problems().forEach((problem) -> out.append(run.transcript().client()).append(": ").append(problem)
                .append('\n'));
        }
        if (!comparison.equal())
        {
            out.append("transcripts differ:\n").append(comparison.report()).append('\n');
        }
        return out.toString();
    }
}
