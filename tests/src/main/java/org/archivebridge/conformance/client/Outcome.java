package org.archivebridge.conformance.client;

/** The raw result of a recorded call, for the scenario to carry on with; the transcript holds the normalised form. */
public record Outcome(boolean ok, long value, ClientFailure failure)
{
    public static Outcome success(final long value)
    {
        return new Outcome(true, value, null);
    }

    public static Outcome failed(final ClientFailure failure)
    {
        return new Outcome(false, 0, failure);
    }

    public String failureLabel()
    {
        return ok ? "ok" : failure.label();
    }
}
