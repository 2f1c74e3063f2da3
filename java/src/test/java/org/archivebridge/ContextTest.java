package org.archivebridge;

import io.aeron.CommonContext;
import io.aeron.archive.client.AeronArchive;
import io.aeron.exceptions.ConcurrentConcludeException;
import io.aeron.exceptions.ConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContextTest
{
    private static final String[] PROPERTIES = {
        "aeron.dir",
        "aeron.archive.control.channel",
        "aeron.archive.control.stream.id",
        "aeron.archive.control.response.channel",
        "aeron.archive.control.response.stream.id",
        "aeron.archive.message.timeout",
        "aeron.archive.message.retry.attempts",
        "aeron.archive.client.name",
        "aeron.archive.recording.events.channel",
        "aeron.archive.recording.events.stream.id",
    };

    @AfterEach
    void clearProperties()
    {
        for (final String name : PROPERTIES)
        {
            System.clearProperty(name);
        }
    }

    @Test
    void defaultsAreAeronArchiveContextDefaults()
    {
        clearProperties();
        final NativeArchive.Context ctx = new NativeArchive.Context();

        assertEquals(CommonContext.getAeronDirectoryName(), ctx.aeronDirectoryName());
        assertNull(ctx.controlRequestChannel());
        assertEquals(10, ctx.controlRequestStreamId());
        assertNull(ctx.controlResponseChannel());
        assertEquals(20, ctx.controlResponseStreamId());
        assertEquals(TimeUnit.SECONDS.toNanos(10), ctx.messageTimeoutNs());
        assertEquals(3, ctx.messageRetryAttempts());
        assertEquals("", ctx.clientName());
        assertFalse(ctx.testFaultSkipCloseSession());
        assertNull(ctx.credentialsSupplier());
        assertEquals((1 << 16) | (12 << 8), ctx.protocolSemanticVersion(), "AeronArchive 1.51.0's protocol 1.12.0");
    }

    @Test
    void credentialsSupplierAndProtocolVersionAreKept()
    {
        final io.aeron.security.CredentialsSupplier supplier = new io.aeron.security.NullCredentialsSupplier();
        final NativeArchive.Context ctx = new NativeArchive.Context()
            .credentialsSupplier(supplier)
            .protocolSemanticVersion((2 << 16) | (12 << 8));

        assertSame(supplier, ctx.credentialsSupplier());
        assertEquals((2 << 16) | (12 << 8), ctx.protocolSemanticVersion());
    }

    @Test
    void defaultsComeFromTheSystemPropertiesAeronArchiveReads()
    {
        System.setProperty("aeron.dir", "/tmp/abr-context-test");
        System.setProperty("aeron.archive.control.channel", "aeron:udp?endpoint=localhost:8010");
        System.setProperty("aeron.archive.control.stream.id", "110");
        System.setProperty("aeron.archive.control.response.channel", "aeron:udp?endpoint=localhost:0");
        System.setProperty("aeron.archive.control.response.stream.id", "120");
        System.setProperty("aeron.archive.message.timeout", "250ms");
        System.setProperty("aeron.archive.message.retry.attempts", "7");
        System.setProperty("aeron.archive.client.name", "context-test");

        final NativeArchive.Context ctx = new NativeArchive.Context();

        assertEquals("/tmp/abr-context-test", ctx.aeronDirectoryName());
        assertEquals("aeron:udp?endpoint=localhost:8010", ctx.controlRequestChannel());
        assertEquals(110, ctx.controlRequestStreamId());
        assertEquals("aeron:udp?endpoint=localhost:0", ctx.controlResponseChannel());
        assertEquals(120, ctx.controlResponseStreamId());
        assertEquals(TimeUnit.MILLISECONDS.toNanos(250), ctx.messageTimeoutNs());
        assertEquals(7, ctx.messageRetryAttempts());
        assertEquals("context-test", ctx.clientName());
    }

    @Test
    void messageTimeoutWithoutUnitIsNanoseconds()
    {
        System.setProperty("aeron.archive.message.timeout", "1500");

        assertEquals(1500L, new NativeArchive.Context().messageTimeoutNs());
    }

    @Test
    void settersAreFluentAndGettersReturnWhatWasSet()
    {
        final NativeArchive.Context ctx = new NativeArchive.Context();

        assertSame(ctx, ctx
            .aeronDirectoryName("/tmp/abr")
            .controlRequestChannel("aeron:ipc")
            .controlRequestStreamId(1)
            .controlResponseChannel("aeron:ipc?alias=response")
            .controlResponseStreamId(2)
            .messageTimeoutNs(3)
            .messageRetryAttempts(4)
            .clientName("name")
            .testFaultSkipCloseSession(true));

        assertEquals("/tmp/abr", ctx.aeronDirectoryName());
        assertEquals("aeron:ipc", ctx.controlRequestChannel());
        assertEquals(1, ctx.controlRequestStreamId());
        assertEquals("aeron:ipc?alias=response", ctx.controlResponseChannel());
        assertEquals(2, ctx.controlResponseStreamId());
        assertEquals(3, ctx.messageTimeoutNs());
        assertEquals(4, ctx.messageRetryAttempts());
        assertEquals("name", ctx.clientName());
        assertTrue(ctx.testFaultSkipCloseSession());
    }

    @Test
    void recordingEventsSettingsHaveAeronArchiveContextDefaultsAndProperties()
    {
        final NativeArchive.Context defaults = new NativeArchive.Context();
        assertEquals(AeronArchive.Configuration.RECORDING_EVENTS_CHANNEL_DEFAULT, defaults.recordingEventsChannel());
        assertEquals(AeronArchive.Configuration.RECORDING_EVENTS_STREAM_ID_DEFAULT, defaults.recordingEventsStreamId());

        System.setProperty("aeron.archive.recording.events.channel", "aeron:udp?endpoint=localhost:9030");
        System.setProperty("aeron.archive.recording.events.stream.id", "31");
        final NativeArchive.Context fromProperties = new NativeArchive.Context();
        assertEquals("aeron:udp?endpoint=localhost:9030", fromProperties.recordingEventsChannel());
        assertEquals(31, fromProperties.recordingEventsStreamId());
    }

    @Test
    void concludeChecksOnceAsAeronArchiveContextDoes()
    {
        final NativeArchive.Context unset = new NativeArchive.Context().controlRequestChannel(null);
        assertThrows(ConfigurationException.class, unset::conclude);
        assertFalse(unset.isConcluded());

        final NativeArchive.Context ctx = new NativeArchive.Context()
            .controlRequestChannel("aeron:udp?endpoint=localhost:8010")
            .controlResponseChannel("aeron:udp?endpoint=localhost:0");
        assertFalse(ctx.isConcluded());
        ctx.conclude();
        assertTrue(ctx.isConcluded());
        assertThrows(ConcurrentConcludeException.class, ctx::conclude);
    }

    @Test
    void cloneCopiesEverySettingIntoAnIndependentContext()
    {
        final NativeArchive.Context original = new NativeArchive.Context()
            .controlRequestChannel("aeron:udp?endpoint=localhost:8010")
            .recordingEventsStreamId(77)
            .ownsAeronClient(true);
        final NativeArchive.Context copy = original.clone();
        assertNotSame(original, copy);
        assertEquals(original.toString(), copy.toString());
        copy.recordingEventsStreamId(78);
        assertEquals(77, original.recordingEventsStreamId());
        assertTrue(copy.ownsAeronClient());
        assertTrue(original.toString().contains("recordingEventsStreamId=77"), original.toString());
    }
}
