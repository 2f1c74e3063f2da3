package org.archivebridge.conformance;

/** The raw result of a recorded call, for the scenario to carry on with; the transcript holds the normalised form. */
public record Outcome(boolean ok, long value, ClientFailure failure)
{
    static Outcome success(final long value)
    {
        return new Outcome(true, value, null);
    }

    static Outcome failed(final ClientFailure failure)
    {
        return new Outcome(false, 0, failure);
    }

    public String failureLabel()
    {
        return ok ? "ok" : failure.label();
    }
}
