package org.archivebridge.conformance.explore;

import org.archivebridge.conformance.server.ArchiveVersions;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioVerdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both clients of an explored sequence run on one Archive, the candidate after the reference: a listing that reaches
 * below the candidate's own recordings must not count the ones the reference just made (seed 42 once reported
 * "AeronArchive 81 descriptors, NativeArchive 82" for {@code record(3, 100), listRecordings(-1, MAX, collect)}).
 */
class SharedCatalogueTest
{
    private static ScenarioEnvironment environment;
    private static Explorer explorer;

    @BeforeAll
    static void start() throws Exception
    {
        final Path target = Path.of(System.getProperty("conformance.logDir", "target"));
        environment = ScenarioEnvironment.start(
            target, ArchiveVersions.DEFAULT, ScenarioEnvironment.Transport.IPC, List.of());
        explorer = new Explorer(environment, ClientKind.NATIVE, 1, "all", target.resolve("explore-catalogue"),
            System.out);
    }

    @AfterAll
    static void stop()
    {
        if (null != explorer)
        {
            explorer.close();
        }
        if (null != environment)
        {
            environment.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "RECORD,3,100;LIST_RECORDINGS,-1,MAX,collect",
        "RECORD,2,64;RECORD,1,32;LIST_RECORDINGS,0,MAX,reenter",
        "RECORD,2,64;LIST_RECORDINGS_FOR_URI,0,MAX,ipc,stream@1",
        "RECORD,1,64;LIST_RECORDING,rec@1,collect;LIST_RECORDINGS,rec@1,MAX,collect" })
    void listingsCoverOnlyWhatEachClientCouldSee(final String encoded)
    {
        final List<Op> ops = Op.decodeAll(encoded);
        final ScenarioVerdict verdict = explorer.compare("catalogue", ops);
        assertTrue(verdict.passed(), () -> ops + ":\n" + verdict.comparison() + "\nreference " +
            verdict.reference().transcript().toJson() + "\ncandidate " + verdict.candidate().transcript().toJson());
    }
}
