package org.archivebridge.conformance.scenario;

import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.codecs.CloseSessionRequestDecoder;
import io.aeron.security.CredentialsSupplier;
import org.agrona.SemanticVersion;
import org.archivebridge.conformance.Sleep;
import org.archivebridge.conformance.client.ArchiveClient;
import org.archivebridge.conformance.client.ClientFailure;
import org.archivebridge.conformance.client.ClientKind;
import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.client.Outcome;
import org.archivebridge.conformance.server.ArchiveServerAuthenticator;
import org.archivebridge.conformance.server.ControlRequestTap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 4, item 1's authentication and protocol version: a credentials supplier's credentials, the archive's
 * challenge and its answer, a rejection, and a client of another protocol major version. The verdicts come from the
 * suite's own {@link ArchiveServerAuthenticator}, so on a deployment the gate only attached to (--aeron-dir) the
 * authentication scenarios report themselves skipped instead of failing.
 */
final class AuthenticationScenarios
{
    private static final String REJECTED = "ERROR(code=AUTHENTICATION_REJECTED)";
    private static final long CLOSE_SEEN_WAIT_MS = 5_000;
    /** The archive's own text for a client of another major version (ArchiveConductor, 1.47.3 to 1.51.0). */
    private static final Pattern ARCHIVE_VERSION_TEXT =
        Pattern.compile("invalid client version (\\d+\\.\\d+\\.\\d+), archive is (\\d+\\.\\d+\\.\\d+)");
    /** How the native client names both versions in its own words. */
    private static final Pattern NATIVE_VERSION_TEXT =
        Pattern.compile("client version (\\d+\\.\\d+\\.\\d+), archive version (\\d+\\.\\d+\\.\\d+)");

    private static final List<Scenario> ALL = List.of(
        new Scenario("auth-accepted",
            "connect with credentials the archive's authenticator accepts; read the archive id; close",
            AuthenticationScenarios::accepted),
        new Scenario("auth-challenge-answered",
            "the archive challenges the credentials; the supplier receives the challenge and answers it right",
            AuthenticationScenarios::challengeAnswered),
        new Scenario("auth-challenge-async",
            "an asynchronous connect through a challenge reports SEND_CHALLENGE_RESPONSE and AWAIT_CHALLENGE_RESPONSE",
            AuthenticationScenarios::challengeAsync),
        new Scenario("auth-challenge-wrong",
            "the supplier answers the challenge wrong: AUTHENTICATION_REJECTED, and the client closes the session",
            AuthenticationScenarios::challengeWrong),
        new Scenario("auth-rejected",
            "credentials the authenticator rejects: AUTHENTICATION_REJECTED, and the client closes the session",
            AuthenticationScenarios::rejected),
        new Scenario("protocol-version-mismatch",
            "connect announcing the next protocol major version: the archive refuses, the error names both versions",
            AuthenticationScenarios::protocolVersionMismatch));

    private AuthenticationScenarios()
    {
    }

    static List<Scenario> all()
    {
        return ALL;
    }

    /** Encoded credentials, and the answer to any challenge; remembers the challenges it received. */
    record Credentials(String encoded, String answer, List<String> challenges) implements CredentialsSupplier
    {
        static Credentials of(final String encoded, final String answer)
        {
            return new Credentials(encoded, answer, Collections.synchronizedList(new ArrayList<>()));
        }

        public byte[] encodedCredentials()
        {
            return encoded.getBytes(StandardCharsets.US_ASCII);
        }

        public byte[] onChallenge(final byte[] encodedChallenge)
        {
            challenges.add(new String(encodedChallenge, StandardCharsets.US_ASCII));
            return answer.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static void accepted(final ScenarioRun run)
    {
        if (skippedWithoutSuiteAuthenticator(run))
        {
            return;
        }
        final ArchiveClient client = run.connectWithCredentials(
            run.environment().udpSettings(), Credentials.of(ArchiveServerAuthenticator.ACCEPT, ""), null);
        run.expect(client != null, "accepted credentials connect, got " + run.lastOutcome());
        if (client == null)
        {
            return;
        }
        final Outcome archiveId = run.value("archiveId", List.of(), client::archiveId);
        run.expect(archiveId.ok() && archiveId.value() == run.environment().server().archiveId(),
            "archiveId is the server's");
        run.close(client);
    }

    private static void challengeAnswered(final ScenarioRun run)
    {
        if (skippedWithoutSuiteAuthenticator(run))
        {
            return;
        }
        final Credentials credentials =
            Credentials.of(ArchiveServerAuthenticator.CHALLENGE, ArchiveServerAuthenticator.RIGHT_ANSWER);
        final ArchiveClient client = run.connectWithCredentials(run.environment().udpSettings(), credentials, null);
        run.expect(client != null, "a challenge answered right connects, got " + run.lastOutcome());
        recordChallenges(run, credentials);
        if (client == null)
        {
            return;
        }
        final Outcome listed = run.listing("listRecordings", List.of("0", "1"),
            (consumer) -> client.listRecordings(0, 1, consumer));
        run.expect(listed.ok(), "a call on the authenticated session works");
        run.close(client);
    }

    private static void challengeAsync(final ScenarioRun run)
    {
        if (skippedWithoutSuiteAuthenticator(run))
        {
            return;
        }
        final Credentials credentials =
            Credentials.of(ArchiveServerAuthenticator.CHALLENGE, ArchiveServerAuthenticator.RIGHT_ANSWER);
        final List<String> states = new ArrayList<>();
        final ArchiveClient client = run.connectWithCredentials(run.environment().udpSettings(), credentials,
            (state) ->
            {
                // Only the challenge steps are compared: the steps before them differ between the two clients (the
                // native one resolves a port-0 response endpoint in a step of its own).
                if (state.contains("CHALLENGE") && (states.isEmpty() || !states.get(states.size() - 1).equals(state)))
                {
                    states.add(state);
                }
            });
        run.text("challengeStates", List.of(), () -> String.join(",", states));
        run.expect(states.equals(List.of("SEND_CHALLENGE_RESPONSE", "AWAIT_CHALLENGE_RESPONSE")),
            "the asynchronous connect reports both challenge steps, got " + states);
        if (client != null)
        {
            run.close(client);
        }
    }

    private static void challengeWrong(final ScenarioRun run)
    {
        if (skippedWithoutSuiteAuthenticator(run))
        {
            return;
        }
        final Credentials credentials =
            Credentials.of(ArchiveServerAuthenticator.CHALLENGE, ArchiveServerAuthenticator.WRONG_ANSWER);
        expectRejected(run, credentials);
        recordChallenges(run, credentials);
    }

    private static void rejected(final ScenarioRun run)
    {
        if (skippedWithoutSuiteAuthenticator(run))
        {
            return;
        }
        final Credentials credentials = Credentials.of(ArchiveServerAuthenticator.REJECT, "");
        expectRejected(run, credentials);
        recordChallenges(run, credentials);
    }

    /*
     * AeronArchive closes a session the archive refused (CloseSessionRequest), so the archive ends it at once rather
     * than after its connect timeout: the runner's session count check sees it gone, and the tap must see the close.
     */
    private static void expectRejected(final ScenarioRun run, final Credentials credentials)
    {
        final ClientSettings settings = run.environment().udpSettings();
        final ControlRequestTap tap = run.environment().tapFor(settings);
        final int closesBefore = closeSessionCount(tap);
        final ArchiveClient client = run.connectWithCredentials(settings, credentials, null);
        run.expect(client == null && REJECTED.equals(run.lastOutcome()),
            "the connect fails with " + REJECTED + ", got " + run.lastOutcome());
        run.expect(await(() -> closeSessionCount(tap) > closesBefore, CLOSE_SEEN_WAIT_MS),
            "the refused client sent CloseSessionRequest, as AeronArchive does; seen by template id: " +
            tap.templateCounts());
    }

    private static void protocolVersionMismatch(final ScenarioRun run)
    {
        final ClientSettings settings = run.environment().udpSettings();
        final int version = SemanticVersion.compose(
            AeronArchive.Configuration.PROTOCOL_MAJOR_VERSION + 1,
            AeronArchive.Configuration.PROTOCOL_MINOR_VERSION,
            AeronArchive.Configuration.PROTOCOL_PATCH_VERSION);
        final String versionText = SemanticVersion.toString(version);
        final ControlRequestTap tap = run.environment().tapFor(settings);
        final int closesBefore = closeSessionCount(tap);
        final String[] message = new String[1];

        final String outcome = run.text("connect", List.of("udp", "protocolVersion=" + versionText), () ->
        {
            try
            {
                run.kind().connectWithProtocolVersion(settings, version).close();
                return "connected";
            }
            catch (final ClientFailure failure)
            {
                // Not the failure's label: AeronArchive reports the archive's relevantId as the error code, which on
                // this answer is the control session id (a different number on every run), where NativeArchive
                // reports GENERIC. What both must agree on is that the archive refused and which versions it named.
                message[0] = failure.getMessage();
                final Matcher named = ARCHIVE_VERSION_TEXT.matcher(failure.getMessage());
                return failure.category() + (named.find() ?
                    " client=" + named.group(1) + " archive=" + named.group(2) : " versions not named");
            }
        });
        run.expect(outcome.startsWith("ARCHIVE_ERROR client=" + versionText + " archive="),
            "the archive refuses version " + versionText + " naming both versions, got " + outcome);
        if (run.kind() == ClientKind.NATIVE && null != message[0])
        {
            final Matcher own = NATIVE_VERSION_TEXT.matcher(message[0]);
            run.expect(own.find() && own.group(1).equals(versionText) && outcome.endsWith("archive=" + own.group(2)),
                "the native client's message names both versions itself, got " + message[0]);
        }
        run.text("announcedVersion", List.of(), () -> await(() -> tap.connectRequests().stream()
            .anyMatch((request) -> request.version() == version), CLOSE_SEEN_WAIT_MS) ? versionText : "not seen");
        run.expect(await(() -> closeSessionCount(tap) > closesBefore, CLOSE_SEEN_WAIT_MS),
            "the refused client sent CloseSessionRequest, as AeronArchive does");
    }

    private static void recordChallenges(final ScenarioRun run, final Credentials credentials)
    {
        run.text("challengesReceived", List.of(), () -> String.join(",", credentials.challenges()));
    }

    private static boolean skippedWithoutSuiteAuthenticator(final ScenarioRun run)
    {
        if (!run.environment().server().isAttached())
        {
            return false;
        }
        run.text("skipped", List.of(), () ->
            "needs the suite's authenticator (ArchiveServerAuthenticator); an attached deployment has its own");
        return true;
    }

    private static int closeSessionCount(final ControlRequestTap tap)
    {
        return tap.templateCounts().getOrDefault(CloseSessionRequestDecoder.TEMPLATE_ID, 0);
    }

    private static boolean await(final BooleanSupplier condition, final long timeoutMs)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                return false;
            }
            Sleep.millis(10);
        }
        return true;
    }
}
