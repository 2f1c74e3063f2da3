package org.archivebridge;

import io.aeron.exceptions.ConfigurationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_t;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_NOOP;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_YIELDING;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_set_idle_strategy;

/**
 * Agrona's standard idle strategies as the C client's (abr_archive_context_set_idle_strategy): the C client waits in
 * C, so it cannot call a Java strategy; it runs the same kind with the same parameters instead. Their parameters are
 * read from the strategies' toString (the only public view Agrona gives of them); any other strategy, or one whose
 * parameters cannot be read, leaves the C client's default (a backoff of 10 spins, 20 yields, parks of 1 to 100 us).
 */
final class NativeIdleStrategy
{
    private static final Pattern FIELD = Pattern.compile("(\\w+)=(-?\\d+)");

    /** The C client's default, as an Agrona strategy: what a custom or unreadable strategy runs as. */
    static final BackoffIdleStrategy DEFAULT = new BackoffIdleStrategy(10, 20, 1_000, 100_000);

    private static final int KIND = 0;
    private static final int MAX_SPINS = 1;
    private static final int MAX_YIELDS = 2;
    private static final int MIN_PARK_NS = 3;
    private static final int MAX_PARK_NS = 4;

    private NativeIdleStrategy()
    {
    }

    /**
     * Check that the C client accepts what the strategy maps to, as abr_archive_context_set_idle_strategy checks it.
     *
     * @throws ConfigurationException naming the strategy and the value out of range.
     */
    static void validate(final IdleStrategy strategy)
    {
        final long[] p = parameters(strategy);
        if (p[MAX_SPINS] < 0 || p[MAX_YIELDS] < 0 || p[MIN_PARK_NS] < 0 || p[MAX_PARK_NS] < p[MIN_PARK_NS])
        {
            throw new ConfigurationException("NativeArchive.Context.idleStrategy: " + strategy + " maps to maxSpins=" +
                p[MAX_SPINS] + " maxYields=" + p[MAX_YIELDS] + " minParkPeriodNs=" + p[MIN_PARK_NS] +
                " maxParkPeriodNs=" + p[MAX_PARK_NS] + ", but each must be >= 0 and maxParkPeriodNs >= minParkPeriodNs");
        }
    }

    /**
     * Set the C context's idle strategy to match the Java one: 0, or the C call's -1 for a value it refuses.
     */
    static int apply(final abr_archive_context_t context, final IdleStrategy strategy)
    {
        final long[] p = parameters(strategy);
        return abr_archive_context_set_idle_strategy(
            context, (int)p[KIND], p[MAX_SPINS], p[MAX_YIELDS], p[MIN_PARK_NS], p[MAX_PARK_NS]);
    }

    /* kind, max spins, max yields, min park ns, max park ns: the C call's arguments for this strategy. */
    private static long[] parameters(final IdleStrategy strategy)
    {
        final String text = String.valueOf(strategy);
        if (strategy instanceof BusySpinIdleStrategy)
        {
            return new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN, 0, 0, 0, 0 };
        }
        if (strategy instanceof YieldingIdleStrategy)
        {
            return new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_YIELDING, 0, 0, 0, 0 };
        }
        if (strategy instanceof NoOpIdleStrategy)
        {
            return new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_NOOP, 0, 0, 0, 0 };
        }
        if (strategy instanceof SleepingIdleStrategy && hasFields(text, "sleepPeriodNs"))
        {
            final long periodNs = field(text, "sleepPeriodNs");
            return new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING, 0, 0, periodNs, periodNs };
        }
        if (strategy instanceof SleepingMillisIdleStrategy && hasFields(text, "sleepPeriodMs"))
        {
            final long periodMs = field(text, "sleepPeriodMs");
            final long periodNs = periodMs < 0 ? periodMs : TimeUnit.MILLISECONDS.toNanos(periodMs);
            return new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING, 0, 0, periodNs, periodNs };
        }
        final BackoffIdleStrategy backoff = strategy instanceof BackoffIdleStrategy &&
            hasFields(text, "maxSpins", "maxYields", "minParkPeriodNs", "maxParkPeriodNs") ?
            (BackoffIdleStrategy)strategy : DEFAULT;
        final String backoffText = backoff.toString();
        return new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, field(backoffText, "maxSpins"),
            field(backoffText, "maxYields"), field(backoffText, "minParkPeriodNs"),
            field(backoffText, "maxParkPeriodNs") };
    }

    private static boolean hasFields(final String text, final String... names)
    {
        for (final String name : names)
        {
            if (null == field(text, name))
            {
                return false;
            }
        }
        return true;
    }

    /* A numeric field of the strategy's toString, or null when it is not there. */
    private static Long field(final String text, final String name)
    {
        final Matcher matcher = FIELD.matcher(text);
        while (matcher.find())
        {
            if (matcher.group(1).equals(name))
            {
                try
                {
                    return Long.parseLong(matcher.group(2));
                }
                catch (final NumberFormatException ex)
                {
                    return null;
                }
            }
        }
        return null;
    }
}
