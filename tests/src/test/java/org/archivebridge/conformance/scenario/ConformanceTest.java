package org.archivebridge.conformance.scenario;

import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.client.ClientKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The catalogue as JUnit tests: each scenario on AeronArchive and on the candidate (system property
 * {@code conformance.candidate}, NATIVE unless set), against one server shared by the whole class, in catalogue
 * order.
 */
class ConformanceTest
{
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
        return Scenarios.all().stream().map((scenario) -> DynamicTest.dynamicTest(
            scenario.name() + " JAVA vs " + candidate,
            () ->
            {
                final ScenarioVerdict verdict = runner.compare(scenario, candidate);
                assertTrue(verdict.passed(), verdict::report);
            }));
    }
}
