package org.archivebridge.conformance.server;

import io.aeron.AeronCounters;
import org.agrona.concurrent.status.CountersReader;
import org.archivebridge.conformance.Sleep;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * What must be true on the Archive's side after a scenario: every session the scenario opened is gone, every
 * client it closed sent a CloseSessionRequest, the Archive did not have to terminate a session itself, and the
 * clients' driver holds no publication or subscription the scenario left behind.
 */
public final class ServerChecks
{
    /** The server's state before a scenario, to compare with after it. */
    public record Baseline(long controlSessions, Set<String> errorTexts, long publications, long subscriptions)
    {
    }

    private static final String TERMINATED = "terminated";
    private static final long SESSIONS_SETTLE_MS = 5_000;
    private static final long CLOSE_SEEN_WAIT_MS = 2_000;

    private final ServerObserver observer;
    private final CountersReader clientDriverCounters;

    /**
     * @param observer             what watches the Archive.
     * @param clientDriverCounters the counters of the driver the clients use, for the leak check.
     */
    public ServerChecks(final ServerObserver observer, final CountersReader clientDriverCounters)
    {
        this.observer = observer;
        this.clientDriverCounters = clientDriverCounters;
    }

    public Baseline baseline()
    {
        return new Baseline(
            observer.controlSessionCount(),
            observer.errors().stream().map(ServerErrorLog.Entry::text).collect(Collectors.toSet()),
            countOfType(AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID),
            countOfType(AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID));
    }

    /**
     * The clients' driver holds no more publications (publisher limit counters) or subscriptions (subscriber
     * position counters) than before the scenario: whatever a client created, its close released. Closed
     * publications linger briefly (the environment shortens the linger), hence the wait.
     */
    public CheckResult driverResourcesBackTo(final Baseline baseline)
    {
        final String name = "no leaked publications or subscriptions on the clients' driver";
        final boolean settled = await(() ->
            countOfType(AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID) <= baseline.publications() &&
            countOfType(AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID) <= baseline.subscriptions(),
            SESSIONS_SETTLE_MS);
        final String detail = "publications " + countOfType(AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID) +
            " (before " + baseline.publications() + "), subscriber positions " +
            countOfType(AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID) + " (before " + baseline.subscriptions() +
            ")";
        return settled ? CheckResult.pass(name, detail) : CheckResult.fail(name, detail + " after " +
            SESSIONS_SETTLE_MS + "ms; now there: " + labelsOfType(AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID) +
            " " + labelsOfType(AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID));
    }

    /* The labels of the counters of a type, to say what a failed check found (the baseline's are among them). */
    private List<String> labelsOfType(final int typeId)
    {
        final List<String> labels = new ArrayList<>();
        clientDriverCounters.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId)
            {
                labels.add(label);
            }
        });
        return labels;
    }

    private long countOfType(final int typeId)
    {
        final long[] count = { 0 };
        clientDriverCounters.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId)
            {
                count[0]++;
            }
        });
        return count[0];
    }

    /** The Archive's control sessions are back to the baseline count (the Archive closes sessions asynchronously). */
    public CheckResult sessionsBackTo(final Baseline baseline)
    {
        final String name = "control sessions back to " + baseline.controlSessions();
        final boolean settled = await(() -> observer.controlSessionCount() == baseline.controlSessions(),
            SESSIONS_SETTLE_MS);
        final String detail = "count=" + observer.controlSessionCount();
        return settled ? CheckResult.pass(name, detail) : CheckResult.fail(name, detail + " after " +
            SESSIONS_SETTLE_MS + "ms");
    }

    /**
     * The tap saw a CloseSessionRequest carrying this control session id. The check that a faulty close must fail.
     */
    public CheckResult closeSessionSeen(final ControlRequestTap tap, final long controlSessionId)
    {
        final String name = "CloseSessionRequest seen for controlSessionId=" + controlSessionId;
        if (await(() -> tap.sawCloseSession(controlSessionId), CLOSE_SEEN_WAIT_MS))
        {
            return CheckResult.pass(name, "on " + tap.channel());
        }
        return CheckResult.fail(name, "not seen on " + tap.channel() + " within " + CLOSE_SEEN_WAIT_MS +
            "ms; requests seen by template id: " + tap.templateCounts());
    }

    /** Every one of these sessions was closed with a CloseSessionRequest. */
    public CheckResult closeSessionsSeen(final ControlRequestTap tap, final Collection<Long> controlSessionIds)
    {
        final String name = "CloseSessionRequest seen for " + controlSessionIds.size() + " closed client(s)";
        await(() -> controlSessionIds.stream().allMatch(tap::sawCloseSession), CLOSE_SEEN_WAIT_MS);
        final List<Long> missing = controlSessionIds.stream()
            .filter((id) -> !tap.sawCloseSession(id))
            .collect(Collectors.toList());
        return missing.isEmpty() ? CheckResult.pass(name, "all seen") :
            CheckResult.fail(name, "missing for controlSessionIds " + missing + "; requests seen by template id: " +
                tap.templateCounts());
    }

    /** No new error mentioning a terminated session since the baseline: the Archive never had to end one itself. */
    public CheckResult noNewTerminatedErrors(final Baseline baseline)
    {
        final String name = "no new '" + TERMINATED + "' error in the server's error logs";
        final List<String> fresh = observer.errorsContaining(TERMINATED).stream()
            .map(ServerErrorLog.Entry::text)
            .filter((text) -> !baseline.errorTexts().contains(text))
            .collect(Collectors.toList());
        return fresh.isEmpty() ? CheckResult.pass(name, "none") : CheckResult.fail(name, firstLines(fresh));
    }

    private static String firstLines(final List<String> texts)
    {
        return texts.stream().map((text) -> text.lines().findFirst().orElse("")).collect(Collectors.joining(" | "));
    }

    private static boolean await(final BooleanSupplier condition, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            Sleep.millis(10);
        }
        return true;
    }
}
