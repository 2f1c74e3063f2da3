package org.archivebridge.conformance.diagnose;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an entry in the Archive's error log most likely means for the clients, and what to do about it. The rules
 * match the texts the Archive logs when it ends a control session itself (Aeron 1.47 and later).
 */
public final class DiagnoseAdvice
{
    /** A likely cause and a remedy for one kind of logged error. */
    public record Advice(String kind, String cause, String remedy)
    {
    }

    /** Advice that holds for every deployment whose Archive had to end sessions itself. */
    static final List<String> GENERAL = List.of(
        "poll every archive client's response channel (AeronArchive: pollForErrorResponse or any call;" +
            " NativeArchive: Context.autoPollIntervalNs turns on a background poller)",
        "close clients you do not need with close(), which sends CloseSessionRequest, instead of letting them idle",
        "raise the Archive's connect timeout (aeron.archive.connect.timeout) where networks are slow or clients" +
            " pause for long",
        "turn on the client's debug log to see when it stopped polling (NativeArchive: -Darchivebridge.archive" +
            ".debug.log=stderr or ABR_ARCHIVE_DEBUG_LOG; AeronArchive: the Aeron agent, aeron.event.archive.log=all)");

    private static final Pattern SESSION_ID = Pattern.compile("controlSessionId=(-?\\d+)");

    private static final Advice NOT_POLLING = new Advice(
        "session terminated: responses undeliverable",
        "the client stopped polling its control response channel, or vanished (crash, kill -9, close without" +
            " CloseSessionRequest) so nothing drained the responses the Archive sends, pings included",
        "poll (or turn on NativeArchive auto-poll), close clients with close() before the process exits, raise" +
            " aeron.archive.connect.timeout if the client is only slow");
    private static final Advice RESPONSE_GONE = new Advice(
        "session terminated: response channel gone",
        "the client's response subscription went away (its Aeron client or subscription closed, or its process" +
            " died) while its control session was still open",
        "close the archive client (which sends CloseSessionRequest) before closing its Aeron client or response" +
            " subscription; keep the client process alive until close() returns");
    private static final Advice NEVER_CONNECTED = new Advice(
        "session terminated: never connected",
        "the Archive could not reach the client's response channel at all (wrong endpoint, firewall, the client" +
            " gave up connecting before the Archive's publication connected)",
        "check the client's controlResponseChannel is reachable from the Archive's host; raise the client's" +
            " message timeout on slow networks");
    private static final Advice OTHER_TERMINATION = new Advice(
        "session terminated",
        "the Archive ended a control session itself",
        "read the reason after 'terminated:'; every client should end its session with close()");
    private static final Advice UNKNOWN = new Advice(
        "other error",
        "not one of the known client-session problems",
        "read the full text and stack trace in the Archive's error log");

    private DiagnoseAdvice()
    {
    }

    public static Advice forError(final String text)
    {
        final String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("failed to send response for more than connecttimeoutms"))
        {
            return NOT_POLLING;
        }
        if (lower.contains("not connected"))
        {
            return RESPONSE_GONE;
        }
        if (lower.contains("failed to establish initial connection"))
        {
            return NEVER_CONNECTED;
        }
        if (lower.contains("terminated"))
        {
            return OTHER_TERMINATION;
        }
        return UNKNOWN;
    }

    /** The control session id an error names, or null when it names none. */
    static Long controlSessionId(final String text)
    {
        final Matcher matcher = SESSION_ID.matcher(text);
        return matcher.find() ? Long.valueOf(matcher.group(1)) : null;
    }
}
