package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.TestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ./gate --explore: generated sequences reported like scenarios, here over UDP (the child JVMs run client drivers of
 * their own); ExplorerTest explores over IPC.
 */
class GateExplorationTest
{
    @Test
    void exploredSequencesAreRowsOfTheReports(@TempDir final Path reportDir) throws Exception
    {
        final boolean passed = Gate.run("--explore", "2", "--seed", "20261203", "--transport", "udp",
            "--candidate", TestSupport.candidate().name(), "--report-dir", reportDir.toString(),
            "--log-dir", TestSupport.logDir().toString());

        assertTrue(passed, () -> "exploration failed; see " + reportDir.resolve("explore-findings.txt"));
        final String junit = Files.readString(reportDir.resolve("junit.xml"), StandardCharsets.UTF_8);
        assertTrue(junit.contains("Aeron 1.51.0/udp\" tests=\"2\" failures=\"0\""), junit);
        final String summary = Files.readString(reportDir.resolve("summary.json"), StandardCharsets.UTF_8);
        assertTrue(summary.contains("explore-20261203-0") && summary.contains("explore-20261203-1"), summary);
        final String table = Files.readString(reportDir.resolve("table.txt"), StandardCharsets.UTF_8);
        assertTrue(table.contains("explored 2 sequences (24 operations, seed 20261203), 0 failing"), table);
        assertEquals("no findings\n", Files.readString(reportDir.resolve("explore-findings.txt")));
    }

    @Test
    void explorationOptions()
    {
        final GateOptions options = GateOptions.parse(new String[]{ "--explore", "5", "--seed", "-3" });
        assertEquals(new GateOptions.Exploration(5, -3, "all"), options.exploration());
        assertFalse(GateOptions.parse(new String[0]).exploration().on());
        assertTrue(GateOptions.parse(new String[]{ "--explore", "1" }).exploration().on());
        assertThrows(IllegalArgumentException.class, () -> GateOptions.parse(new String[]{ "--explore", "-1" }));
        assertThrows(IllegalArgumentException.class, () -> GateOptions.parse(new String[]{ "--explore" }));
    }
}
