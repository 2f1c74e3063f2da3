package org.archivebridge.conformance;

/** A named piece of client behaviour, written once over {@link ArchiveClient} and run on every client kind. */
public record Scenario(String name, String description, Body body)
{
    @FunctionalInterface
    public interface Body
    {
        void run(ScenarioRun run) throws Exception;
    }
}
