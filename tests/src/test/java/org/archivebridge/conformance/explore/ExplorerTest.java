package org.archivebridge.conformance.explore;

import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.server.ArchiveVersions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short seeded exploration in every build: the same sequences each time, on AeronArchive and on the candidate
 * (system property conformance.candidate) in child JVMs against one Archive, clients on its driver over IPC.
 * {@code -Dexplore.sequences=N -Dexplore.seed=S} explore further from the command line.
 */
class ExplorerTest
{
    private static final long SEED = 20_261_203L;
    private static final int SEQUENCES = 20;

    @Test
    void seededSequencesBehaveAlikeOnBothClients() throws Exception
    {
        final long seed = Long.getLong("explore.seed", SEED);
        final int sequences = Integer.getInteger("explore.sequences", SEQUENCES);
        final ClientKind candidate =
            ClientKind.valueOf(System.getProperty("conformance.candidate", ClientKind.NATIVE.name()));
        final Path target = Path.of(System.getProperty("conformance.logDir", "target"));
        try (ScenarioEnvironment environment = ScenarioEnvironment.start(
                target, ArchiveVersions.DEFAULT, ScenarioEnvironment.Transport.IPC, List.of());
            Explorer explorer = new Explorer(environment, candidate, seed,
                System.getProperty("explore.exclusions", "all"), target.resolve("explore"), System.out))
        {
            final Explorer.Report report = explorer.explore(sequences);
            System.out.println(report.summary());
            assertEquals(sequences, report.sequences());
            assertTrue(report.passed(), () -> report.summary() + "\n" + String.join("\n", report.findings()));
        }
    }
}
