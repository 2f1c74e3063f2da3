package org.archivebridge.conformance.server;

import io.aeron.security.Authenticator;
import io.aeron.security.SessionProxy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The authenticator of the Archive the suite starts (runs in the server's JVM, on the Archive's conductor thread, so
 * needs no locking). A client without credentials is authenticated at once, as the Archive's default
 * NullAuthenticator does, so every scenario that sends none sees the Archive it always saw. With credentials, the
 * credentials decide: {@link #ACCEPT} is authenticated, {@link #CHALLENGE} is challenged with {@link #CHALLENGE_TEXT}
 * and authenticated only if it answers {@link #RIGHT_ANSWER}, {@link #REJECT}, a wrong answer and anything unknown
 * are rejected.
 * <p>
 * Uses only the io.aeron.security API every Archive version in the matrix has (1.47.3 to 1.51.0).
 */
public final class ArchiveServerAuthenticator implements Authenticator
{
    public static final String ACCEPT = "user:accept";
    public static final String CHALLENGE = "user:challenge";
    public static final String REJECT = "user:reject";
    static final String CHALLENGE_TEXT = "challenge:nonce-42";
    public static final String RIGHT_ANSWER = "response:nonce-42";
    public static final String WRONG_ANSWER = "response:guess";

    private enum Verdict
    {
        AUTHENTICATE, CHALLENGE, CHALLENGED, REJECT
    }

    private static final byte[] NO_PRINCIPAL = new byte[0];
    private final Map<Long, Verdict> verdicts = new HashMap<>();

    public void onConnectRequest(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        verdicts.put(sessionId, verdictFor(text(encodedCredentials)));
    }

    public void onChallengeResponse(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        if (verdicts.get(sessionId) == Verdict.CHALLENGED)
        {
            verdicts.put(sessionId,
                RIGHT_ANSWER.equals(text(encodedCredentials)) ? Verdict.AUTHENTICATE : Verdict.REJECT);
        }
    }

    public void onConnectedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        final long sessionId = sessionProxy.sessionId();
        final Verdict verdict = verdicts.getOrDefault(sessionId, Verdict.AUTHENTICATE);
        switch (verdict)
        {
            case CHALLENGE ->
            {
                // Called again on the Archive's resend interval until the challenge is sent.
                if (sessionProxy.challenge(CHALLENGE_TEXT.getBytes(StandardCharsets.US_ASCII)))
                {
                    verdicts.put(sessionId, Verdict.CHALLENGED);
                }
            }
            case CHALLENGED ->
            {
                // Still waiting for the answer.
            }
            default -> decide(sessionProxy, verdict);
        }
    }

    public void onChallengedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        final Verdict verdict = verdicts.get(sessionProxy.sessionId());
        if (verdict == Verdict.AUTHENTICATE || verdict == Verdict.REJECT)
        {
            decide(sessionProxy, verdict);
        }
    }

    private void decide(final SessionProxy sessionProxy, final Verdict verdict)
    {
        if (verdict == Verdict.REJECT)
        {
            sessionProxy.reject();
            verdicts.remove(sessionProxy.sessionId());
        }
        else if (sessionProxy.authenticate(NO_PRINCIPAL))
        {
            verdicts.remove(sessionProxy.sessionId());
        }
    }

    private static Verdict verdictFor(final String credentials)
    {
        if (credentials.isEmpty() || ACCEPT.equals(credentials))
        {
            return Verdict.AUTHENTICATE;
        }
        return CHALLENGE.equals(credentials) ? Verdict.CHALLENGE : Verdict.REJECT;
    }

    private static String text(final byte[] encoded)
    {
        return null == encoded ? "" : new String(encoded, StandardCharsets.US_ASCII);
    }
}
