package org.archivebridge.conformance;

/**
 * A named piece of client behaviour, written once over {@link ArchiveClient} and run on every client kind.
 * {@code perTransport} is false for a scenario that sets up its own transport (a private Archive, a client driver or
 * process of its own) whatever the gate's transport cell: the gate then runs it once per Archive version.
 */
public record Scenario(String name, String description, Body body, boolean perTransport)
{
    @FunctionalInterface
    public interface Body
    {
        void run(ScenarioRun run) throws Exception;
    }

    /** A scenario that runs in every transport cell, on the clients the cell places. */
    public Scenario(final String name, final String description, final Body body)
    {
        this(name, description, body, true);
    }
}
