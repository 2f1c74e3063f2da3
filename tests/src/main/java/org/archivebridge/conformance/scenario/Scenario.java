package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.report.GateResult;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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

    /** Names of scenarios that check a candidate feature AeronArchive lacks start with this. */
    public static final String EXTENSION_PREFIX = "extension-";

    /**
     * @return true for a scenario of a feature AeronArchive lacks: the reference only shows that the rest of the
     * scenario behaves the same, and the reports list it as an extension, not as a difference.
     */
    public boolean extension()
    {
        return name.startsWith(EXTENSION_PREFIX);
    }

    /**
     * The extensions among the scenarios of some results, each as its name and description, in catalogue order.
     * Scenarios outside the catalogue (the negative controls) are not extensions.
     */
    public static List<String> extensionsIn(final List<GateResult> results)
    {
        final Set<String> names = results.stream().map(GateResult::scenario).collect(Collectors.toSet());
        return Scenarios.all().stream().filter((scenario) -> scenario.extension() && names.contains(scenario.name()))
            .map((scenario) -> scenario.name() + ": " + scenario.description()).toList();
    }

    /** A scenario that runs in every transport cell, on the clients the cell places. */
    public Scenario(final String name, final String description, final Body body)
    {
        this(name, description, body, true);
    }
}
