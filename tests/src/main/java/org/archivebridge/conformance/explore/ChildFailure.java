package org.archivebridge.conformance.explore;

/** What the scenario body threw in the child JVM, carried over as its stack trace text. */
final class ChildFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    ChildFailure(final String stackTrace)
    {
        super(stackTrace, null, false, false);
    }

    public String toString()
    {
        return getMessage();
    }
}
