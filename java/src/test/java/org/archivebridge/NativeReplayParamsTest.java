package org.archivebridge;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/* NativeReplayParams holds ReplayParams' defaults (AeronArchive 1.51.0) and resets to them. */
class NativeReplayParamsTest
{
    @Test
    void defaultsAreReplayParamsDefaults()
    {
        final NativeReplayParams params = new NativeReplayParams();
        assertEquals(-1, params.position());
        assertEquals(NativeReplayParams.REPLAY_ALL_AND_FOLLOW, params.length());
        assertEquals(-1, params.boundingLimitCounterId());
        assertEquals(-1, params.fileIoMaxLength());
        assertEquals(-1, params.replayToken());
        assertEquals(-1, params.subscriptionRegistrationId());
        assertFalse(params.isBounded());
    }

    @Test
    void settersAreFluentAndResetRestoresDefaults()
    {
        final NativeReplayParams params = new NativeReplayParams();
        assertSame(params, params.position(64).length(NativeReplayParams.REPLAY_ALL_AND_STOP)
            .boundingLimitCounterId(3).fileIoMaxLength(4096).replayToken(77));
        params.subscriptionRegistrationId(9);
        assertEquals(64, params.position());
        assertEquals(-2, params.length());
        assertTrue(params.isBounded());
        assertEquals(4096, params.fileIoMaxLength());
        assertEquals(77, params.replayToken());
        assertEquals(9, params.subscriptionRegistrationId());

        assertSame(params, params.reset());
        assertEquals(-1, params.position());
        assertEquals(-1, params.length());
        assertFalse(params.isBounded());
        assertEquals(-1, params.replayToken());
        assertEquals(-1, params.subscriptionRegistrationId());
    }

    @Test
    void anyCounterIdButNullMakesABoundedReplay()
    {
        assertTrue(new NativeReplayParams().boundingLimitCounterId(0).isBounded());
        assertTrue(new NativeReplayParams().boundingLimitCounterId(-5).isBounded());
    }
}
