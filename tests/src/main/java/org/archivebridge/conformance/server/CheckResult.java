package org.archivebridge.conformance.server;

/**
 * The verdict of one server-side check. A value rather than an assertion, so the same check can be expected to
 * fail (the negative controls) and so the gate can report every failed check instead of the first.
 */
public record CheckResult(String name, boolean passed, String detail)
{
    static CheckResult pass(final String name, final String detail)
    {
        return new CheckResult(name, true, detail);
    }

    static CheckResult fail(final String name, final String detail)
    {
        return new CheckResult(name, false, detail);
    }

    public String toString()
    {
        return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
    }
}
