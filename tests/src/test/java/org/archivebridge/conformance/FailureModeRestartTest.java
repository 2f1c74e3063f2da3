package org.archivebridge.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Archive restarted under a connected client, on each client: the first call afterwards fails, the client
 * still closes, and the restarted Archive keeps no session for it. The transcripts are not compared here (see
 * {@link FailureModeScenarios#ARCHIVE_RESTARTED} for the difference that keeps this scenario out of the catalogue).
 */
class FailureModeRestartTest
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

    static Stream<ClientKind> clients()
    {
        return Stream.of(ClientKind.JAVA, TestSupport.candidate()).distinct();
    }

    @ParameterizedTest
    @MethodSource("clients")
    void firstCallAfterRestartFailsAndNothingIsLeftBehind(final ClientKind kind)
    {
        final RunResult result =
            new ScenarioRunner(environment).run(FailureModeScenarios.ARCHIVE_RESTARTED, kind, kind.name());
        assertTrue(result.passed(), () -> String.join("\n", result.problems()) + "\n" + result.transcript().toJson());
    }
}
