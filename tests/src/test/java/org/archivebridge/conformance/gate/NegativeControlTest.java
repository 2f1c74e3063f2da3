package org.archivebridge.conformance.gate;

import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.FaultyClose;
import org.archivebridge.conformance.scenario.RunResult;
import org.archivebridge.conformance.scenario.Scenario;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioRunner;
import org.archivebridge.conformance.server.CheckResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proof that the close check can fail: a client that goes away without CloseSessionRequest must be caught.
 * Its own server, because the Archive later terminates the abandoned session and logs it, which would
 * otherwise show up in another scenario's checks.
 */
class NegativeControlTest
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

    @Test
    void closeCheckPassesForAProperClose()
    {
        final ClientSettings settings = environment.udpSettings();
        final ArchiveClient client = ClientKind.JAVA.connect(settings);
        final long controlSessionId = client.controlSessionId();
        client.close();

        final CheckResult result = environment.checks().closeSessionSeen(environment.tapFor(settings), controlSessionId);
        assertTrue(result.passed(), result::toString);
    }

    /** The reference always, and the candidate under test. */
    static Stream<ClientKind> clients()
    {
        return Stream.of(ClientKind.JAVA, TestSupport.candidate()).distinct();
    }

    @ParameterizedTest
    @MethodSource("clients")
    void closeCheckFailsForACloseWithoutCloseSessionRequest(final ClientKind kind)
    {
        final ClientSettings settings = environment.udpSettings();
        final FaultyClose client = kind.connectWithFaultyClose(settings);
        try
        {
            final long controlSessionId = client.controlSessionId();
            client.releaseWithoutClosingSession();

            final CheckResult result =
                environment.checks().closeSessionSeen(environment.tapFor(settings), controlSessionId);
            assertFalse(result.passed(), "the close check must fail for a faulty close: " + result);
        }
        finally
        {
            client.close();
        }
    }

    @ParameterizedTest
    @MethodSource("clients")
    void scenarioWithFaultyCloseFailsItsServerChecks(final ClientKind kind)
    {
        final Scenario faulty = new Scenario("faulty-close", "release without CloseSessionRequest", (run) ->
        {
            final FaultyClose client = run.connectWithFaultyClose(run.environment().udpSettings());
            client.releaseWithoutClosingSession();
        });

        final RunResult result = new ScenarioRunner(environment).run(faulty, kind, "faulty-" + kind);

        assertFalse(result.passed(), "a run whose client never sent CloseSessionRequest must fail");
        final List<CheckResult> failedCloseChecks = result.checks().stream()
            .filter((check) -> !check.passed() && check.name().startsWith("CloseSessionRequest"))
            .toList();
        assertFalse(failedCloseChecks.isEmpty(), () -> "expected the close check to fail: " + result.checks());
    }
}
