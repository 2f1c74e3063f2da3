package org.archivebridge.conformance;

/** Polling waits: an interrupt ends the wait early and is kept for the caller to see. */
public final class Sleep
{
    private Sleep()
    {
    }

    public static void millis(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", ex);
        }
    }
}
