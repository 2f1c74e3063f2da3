package org.archivebridge.conformance.explore;

/** A child JVM that crashed or stopped answering during a sequence, with its last words, as a run's failure. */
final class WorkerDeath extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String signature;

    WorkerDeath(final String lastWords, final String signature)
    {
        super(lastWords, null, false, false);
        this.signature = signature;
    }

    /** Crash or hang, and the operation it happened in. */
    String signature()
    {
        return signature;
    }

    public String toString()
    {
        return getMessage();
    }
}
