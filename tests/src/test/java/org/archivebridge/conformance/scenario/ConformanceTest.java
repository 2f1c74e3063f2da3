package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.client.ClientKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue as JUnit tests: each scenario on AeronArchive and on the candidate (system property
 * {@code conformance.candidate}, NATIVE unless set), against one server shared by the whole class, in catalogue
 * order, but for the few that only the gate runs ({@link #GATE_ONLY}).
 */
class ConformanceTest
{
    /*
     * persistent-subscription-archive-gone polls each client for 12 s per case against a private Archive (about a
     * minute in all), and shows a known difference of the candidate's, open under issue 11: the candidate fails
     * where PersistentSubscription reconnects. The gate runs it.
     */
    private static final Set<String> GATE_ONLY = Set.of("persistent-subscription-archive-gone");

    private static ScenarioEnvironment environment;

    @BeforeAll
    static void startServer() throws Exception
    {
        environment = ScenarioEnvironment.start(TestSupport.logDir());
    }

    @AfterAll
    static void stopServer()
    {
        if (environment != null)
        {
            environment.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> catalogue()
    {
        final ClientKind candidate = TestSupport.candidate();
        final ScenarioRunner runner = new ScenarioRunner(environment);
        return Scenarios.all().stream().filter((scenario) -> !GATE_ONLY.contains(scenario.name()))
            .map((scenario) -> DynamicTest.dynamicTest(
                scenario.name() + " JAVA vs " + candidate,
                () ->
                {
                    final ScenarioVerdict verdict = runner.compare(scenario, candidate);
                    assertTrue(verdict.passed(), verdict::report);
                }));
    }
}
