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
import org.junit.jupiter.api.Test;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_NOOP;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_IDLE_STRATEGY_YIELDING;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_close;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_get_idle_strategy;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_context_init;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeIdleStrategyTest
{
    @Test
    void agronasStrategiesRunAsTheCClientsOfTheSameKindAndParameters()
    {
        assertArrayEquals(new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 3, 4, 500, 70_000 },
            nativeSettings(new BackoffIdleStrategy(3, 4, 500, 70_000)));
        assertArrayEquals(new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_BUSY_SPIN, 0, 0, 0, 0 },
            nativeSettings(new BusySpinIdleStrategy()));
        assertArrayEquals(new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_YIELDING, 0, 0, 0, 0 },
            nativeSettings(new YieldingIdleStrategy()));
        assertArrayEquals(new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_NOOP, 0, 0, 0, 0 },
            nativeSettings(new NoOpIdleStrategy()));
        assertArrayEquals(new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING, 0, 0, 2_500, 2_500 },
            nativeSettings(new SleepingIdleStrategy(2_500)));
        assertArrayEquals(new long[]{ ABR_ARCHIVE_IDLE_STRATEGY_SLEEPING, 0, 0, 3_000_000, 3_000_000 },
            nativeSettings(new SleepingMillisIdleStrategy(3)));
    }

    @Test
    void aCustomStrategyAndNullRunAsTheDefaultBackoff()
    {
        final long[] defaults = { ABR_ARCHIVE_IDLE_STRATEGY_BACKOFF, 10, 20, 1_000, 100_000 };
        final IdleStrategy custom = new IdleStrategy()
        {
            public void idle(final int workCount)
            {
            }

            public void idle()
            {
            }

            public void reset()
            {
            }
        };
        assertArrayEquals(defaults, nativeSettings(custom));
        assertArrayEquals(defaults, nativeSettings(null));
        assertArrayEquals(defaults, nativeSettings(new NativeArchive.Context().idleStrategy()));
        assertSame(custom, new NativeArchive.Context().idleStrategy(custom).idleStrategy());
        assertSame(new NativeArchive.Context().idleStrategy(), new NativeArchive.Context().idleStrategy(null).idleStrategy());
    }

    @Test
    void refusesParametersTheCClientRefusesKeepingWhatWasSet()
    {
        final YieldingIdleStrategy kept = new YieldingIdleStrategy();
        final NativeArchive.Context context = new NativeArchive.Context().idleStrategy(kept);
        final IdleStrategy[] bad = {
            new BackoffIdleStrategy(-1, 0, 1, 1),
            new BackoffIdleStrategy(0, Long.MIN_VALUE, 1, 1),
            new BackoffIdleStrategy(0, 0, -1, 1),
            new BackoffIdleStrategy(0, 0, 10, 9),
            new SleepingIdleStrategy(-5),
            new SleepingMillisIdleStrategy(-1),
        };
        for (final IdleStrategy strategy : bad)
        {
            final ConfigurationException ex =
                assertThrows(ConfigurationException.class, () -> context.idleStrategy(strategy), strategy::toString);
            assertTrue(ex.getMessage().contains("NativeArchive.Context.idleStrategy"), ex.getMessage());
            assertTrue(ex.getMessage().contains(strategy.toString()), ex.getMessage());
        }
        assertSame(kept, context.idleStrategy());
    }

    @Test
    void theCClientRefusesWhatTheJavaCheckRefuses()
    {
        final abr_archive_context_t context = new abr_archive_context_t();
        assertEquals(0, abr_archive_context_init(context));
        try
        {
            assertEquals(-1, NativeIdleStrategy.apply(context, new BackoffIdleStrategy(0, 0, 10, 9)));
            assertEquals(-1, NativeIdleStrategy.apply(context, new SleepingIdleStrategy(-5)));
        }
        finally
        {
            abr_archive_context_close(context);
        }
    }

    /* What the C context holds after the strategy is applied: kind, max spins, max yields, min and max park ns. */
    private static long[] nativeSettings(final IdleStrategy strategy)
    {
        final abr_archive_context_t context = new abr_archive_context_t();
        assertEquals(0, abr_archive_context_init(context));
        try
        {
            assertEquals(0, NativeIdleStrategy.apply(context, null == strategy ? NativeIdleStrategy.DEFAULT : strategy));
            final int[] kind = new int[1];
            final long[] spins = new long[1];
            final long[] yields = new long[1];
            final long[] minPark = new long[1];
            final long[] maxPark = new long[1];
            assertEquals(0, abr_archive_context_get_idle_strategy(context, kind, spins, yields, minPark, maxPark));
            return new long[]{ kind[0], spins[0], yields[0], minPark[0], maxPark[0] };
        }
        finally
        {
            abr_archive_context_close(context);
        }
    }
}
