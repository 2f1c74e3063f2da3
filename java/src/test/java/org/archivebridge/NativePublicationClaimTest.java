package org.archivebridge;

import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.logbuffer.BufferClaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NativePublication.tryClaim beside io.aeron.Publication.tryClaim, each on a stream of its own read by a Java
 * subscriber, against a Media Driver in this JVM: the same positions and codes, committed claims arrive, aborted
 * ones are skipped, and bad lengths are refused as Aeron refuses them.
 */
class NativePublicationClaimTest
{
    private static final String IPC = "aeron:ipc?term-length=64k";
    private static final int JAVA_STREAM_ID = 1301;
    private static final int NATIVE_STREAM_ID = 1302;
    private static final int MESSAGES = 3000;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @RegisterExtension
    final InJvmDriver driver = InJvmDriver.mediaDriver();

    @Test
    void anExclusivePublicationClaimsAsAeronsDoes()
    {
        claimsAsAeron(driver.aeron().addExclusivePublication(IPC, JAVA_STREAM_ID),
            driver.nativeAeron().addExclusivePublication(IPC, NATIVE_STREAM_ID));
    }

    @Test
    void aConcurrentPublicationClaimsAsAeronsDoes()
    {
        claimsAsAeron(driver.aeron().addPublication(IPC, JAVA_STREAM_ID),
            driver.nativeAeron().addPublication(IPC, NATIVE_STREAM_ID));
    }

    @Test
    void badLengthsAreRefusedAsAeronRefusesThem()
    {
        try (Publication reference = driver.aeron().addExclusivePublication(IPC, JAVA_STREAM_ID);
            NativePublication ours = driver.nativeAeron().addExclusivePublication(IPC, NATIVE_STREAM_ID))
        {
            final BufferClaim claim = new BufferClaim();
            assertEquals(reference.maxPayloadLength(), ours.maxPayloadLength());
            for (final int length : new int[]{ ours.maxPayloadLength() + 1, Integer.MAX_VALUE })
            {
                assertEquals(
                    assertThrows(IllegalArgumentException.class, () -> reference.tryClaim(length, claim)).getMessage(),
                    assertThrows(IllegalArgumentException.class, () -> ours.tryClaim(length, claim)).getMessage());
            }
            for (final int length : new int[]{ -1, Integer.MIN_VALUE })
            {
                assertEquals("claim length must not be negative, length=" + length,
                    assertThrows(IllegalArgumentException.class, () -> ours.tryClaim(length, claim)).getMessage());
            }
            assertThrows(NullPointerException.class, () -> ours.tryClaim(0, null));
        }
    }

    @Test
    void aClaimOnAClosedPublicationOrOneWithoutSubscribersAnswersAsAeron()
    {
        final String udp = "aeron:udp?endpoint=localhost:" + FreePorts.udp();
        final Publication reference = driver.aeron().addPublication(udp, JAVA_STREAM_ID);
        final NativePublication ours = driver.nativeAeron().addPublication(udp, NATIVE_STREAM_ID);
        final BufferClaim claim = new BufferClaim();
        assertEquals(Publication.NOT_CONNECTED, reference.tryClaim(8, claim));
        assertEquals(NativePublication.NOT_CONNECTED, ours.tryClaim(8, claim));
        reference.close();
        ours.close();
        assertEquals(Publication.CLOSED, reference.tryClaim(8, claim));
        assertEquals(NativePublication.CLOSED, ours.tryClaim(8, claim));
        assertEquals(NativePublication.CLOSED, ours.tryClaim(ours.maxPayloadLength(), claim));
    }

    /* Claims of lengths from 0 to the max payload, every third aborted, on both: the same positions, and each
     * subscriber gets the committed messages, in order. Back pressure and term ends are retried on either side. */
    private void claimsAsAeron(final Publication reference, final NativePublication ours)
    {
        try (Subscription referenceSubscription = driver.aeron().addSubscription(IPC, JAVA_STREAM_ID);
            Subscription ourSubscription = driver.aeron().addSubscription(IPC, NATIVE_STREAM_ID);
            reference;
            ours)
        {
            final long deadline = System.nanoTime() + DEADLINE_NS;
            while (!reference.isConnected() || !ours.isConnected())
            {
                assertTrue(System.nanoTime() < deadline, "not connected in time");
                Thread.onSpinWait();
            }
            final List<String> sent = new ArrayList<>();
            final List<String> referenceReceived = new ArrayList<>();
            final List<String> ourReceived = new ArrayList<>();
            final BufferClaim referenceClaim = new BufferClaim();
            final BufferClaim ourClaim = new BufferClaim();
            for (int i = 0; i < MESSAGES; i++)
            {
                final int length = (i * 7) % (ours.maxPayloadLength() + 1);
                long referenceResult;
                while ((referenceResult = reference.tryClaim(length, referenceClaim)) < 0)
                {
                    assertTrue(referenceResult == Publication.BACK_PRESSURED ||
                        referenceResult == Publication.ADMIN_ACTION, "Aeron's claim: " + referenceResult);
                    poll(referenceSubscription, referenceReceived, deadline);
                }
                long ourResult;
                while ((ourResult = ours.tryClaim(length, ourClaim)) < 0)
                {
                    assertTrue(ourResult == NativePublication.BACK_PRESSURED ||
                        ourResult == NativePublication.ADMIN_ACTION, "our claim: " + ourResult);
                    poll(ourSubscription, ourReceived, deadline);
                }
                assertEquals(referenceResult, ourResult, "position after claim " + i + " of length " + length);
                final boolean abort = 0 == i % 3;
                final String message = fill(referenceClaim, i, length, abort);
                assertEquals(message, fill(ourClaim, i, length, abort));
                if (!abort)
                {
                    sent.add(message);
                }
            }
            assertEquals(reference.position(), ours.position());
            while (ourReceived.size() < sent.size() || referenceReceived.size() < sent.size())
            {
                poll(referenceSubscription, referenceReceived, deadline);
                poll(ourSubscription, ourReceived, deadline);
            }
            assertEquals(sent, referenceReceived);
            assertEquals(sent, ourReceived);
        }
    }

    private static void poll(final Subscription subscription, final List<String> received, final long deadline)
    {
        assertTrue(System.nanoTime() < deadline, () -> "not received in time: " + received.size());
        subscription.poll((buffer, offset, length, header) ->
            received.add(buffer.getStringWithoutLengthAscii(offset, length)), 100);
    }

    /* Write a message of the claim's length telling its number, then commit or abort it: the message written. */
    private static String fill(final BufferClaim claim, final int i, final int length, final boolean abort)
    {
        final StringBuilder text = new StringBuilder(length);
        final String number = i + ";";
        while (text.length() < length)
        {
            text.append(number);
        }
        text.setLength(length);
        final String message = text.toString();
        claim.buffer().putStringWithoutLengthAscii(claim.offset(), message);
        if (abort)
        {
            claim.abort();
        }
        else
        {
            claim.commit();
        }
        return message;
    }
}
