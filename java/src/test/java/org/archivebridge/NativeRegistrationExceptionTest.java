package org.archivebridge;

import io.aeron.exceptions.RegistrationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_DRIVER_REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registration the Media Driver rejects, made once through Aeron's own client and once through NativeAeron on the
 * same driver: both throw a RegistrationException with the same error code, and ours begins with Aeron's message
 * (the driver's words) before naming the command, channel and stream id.
 */
class NativeRegistrationExceptionTest
{
    @RegisterExtension
    final InJvmDriver driver = InJvmDriver.mediaDriver();

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "publication; aeron:udp?endpoint=localhost:24350|mtu=100",
        "publication; aeron:bogus",
        "publication; aeron:udp?endpoint=localhost:24351|session-id=abc",
        "exclusive; aeron:ipc?term-length=3",
        "exclusive; aeron:udp?endpoint=no-such-host-regerr:1",
        "exclusive; aeron:udp",
        "subscription; not-a-channel",
        "subscription; aeron:udp?endpoint=no-such-host-regerr:1",
        "subscription; aeron:udp?endpoint=localhost:notaport",
    })
    void aRejectedRegistrationIsAeronsRegistrationException(final String kind, final String channel)
    {
        final int streamId = 1401;
        final RegistrationException reference = assertThrows(RegistrationException.class, () -> add(kind,
            () -> driver.aeron().addPublication(channel, streamId),
            () -> driver.aeron().addExclusivePublication(channel, streamId),
            () -> driver.aeron().addSubscription(channel, streamId)));
        final RegistrationException ours = assertThrows(RegistrationException.class, () -> add(kind,
            () -> driver.nativeAeron().addPublication(channel, streamId),
            () -> driver.nativeAeron().addExclusivePublication(channel, streamId),
            () -> driver.nativeAeron().addSubscription(channel, streamId)));

        assertEquals(reference.errorCode(), ours.errorCode(), ours::getMessage);
        assertEquals(reference.errorCodeValue(), ours.errorCodeValue(), ours::getMessage);
        assertEquals(reference.category(), ours.category());
        assertTrue(ours.getMessage().startsWith(reference.getMessage()),
            () -> "ours: " + ours.getMessage() + "\nAeron's: " + reference.getMessage());
        assertTrue(ours.getMessage().contains("streamId=" + streamId) && ours.getMessage().contains(channel),
            ours::getMessage);
        assertTrue(ours.correlationId() > 0, ours::getMessage);
        assertEquals(ABR_ERROR_DRIVER_REJECTED, ((NativeFailure)ours).nativeCode());
    }

    @Test
    void theCorrelationIdIsTheRejectedCommands()
    {
        final RegistrationException first = assertThrows(RegistrationException.class,
            () -> driver.nativeAeron().addPublication("aeron:bogus", 1402));
        final RegistrationException second = assertThrows(RegistrationException.class,
            () -> driver.nativeAeron().addSubscription("aeron:bogus", 1402));
        assertTrue(second.correlationId() > first.correlationId(), second::getMessage);
        assertTrue(first.getMessage().contains("correlationId=" + first.correlationId()), first::getMessage);

        // The client stays usable, and a later failure of another kind is not a registration's.
        driver.nativeAeron().addPublication("aeron:ipc", 1402).close();
        assertThrows(IllegalArgumentException.class, () -> driver.nativeAeron().addPublication("aeron:ipc\0", 1402));
    }

    private static void add(
        final String kind,
        final Executable publication,
        final Executable exclusive,
        final Executable subscription) throws Throwable
    {
        switch (kind)
        {
            case "publication" -> publication.execute();
            case "exclusive" -> exclusive.execute();
            default -> subscription.execute();
        }
    }
}
