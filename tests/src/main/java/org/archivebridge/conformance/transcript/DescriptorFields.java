package org.archivebridge.conformance.transcript;

import io.aeron.Aeron;
import org.archivebridge.conformance.client.RecordingDescriptor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A recording descriptor as comparable fields. Ids the server hands out are turned into symbols and timestamps into
 * {@code ts} (keeping "not set" visible), so the fields left are the ones both clients must report identically.
 */
public final class DescriptorFields
{
    /** Differ between two clients by design: each client has its own session and correlation ids. */
    static final Set<String> PER_CLIENT = Set.of("controlSessionId", "correlationId");

    private DescriptorFields()
    {
    }

    public static Map<String, String> of(final RecordingDescriptor d, final Symbols symbols)
    {
        return of(d, symbols, "recording");
    }

    /** As {@link #of(RecordingDescriptor, Symbols)}, the recording id a symbol of this kind (another archive's). */
    public static Map<String, String> of(final RecordingDescriptor d, final Symbols symbols, final String recordingKind)
    {
        final Map<String, String> fields = new LinkedHashMap<>();
        fields.put("controlSessionId", symbols.of("controlSession", d.controlSessionId()));
        fields.put("correlationId", "corr");
        fields.put("recordingId", symbols.of(recordingKind, d.recordingId()));
        fields.put("startTimestamp", timestamp(d.startTimestamp()));
        fields.put("stopTimestamp", timestamp(d.stopTimestamp()));
        fields.put("startPosition", Long.toString(d.startPosition()));
        fields.put("stopPosition", Long.toString(d.stopPosition()));
        fields.put("initialTermId", symbols.of("termId", d.initialTermId()));
        fields.put("segmentFileLength", Integer.toString(d.segmentFileLength()));
        fields.put("termBufferLength", Integer.toString(d.termBufferLength()));
        fields.put("mtuLength", Integer.toString(d.mtuLength()));
        fields.put("sessionId", symbols.of("session", d.sessionId()));
        fields.put("streamId", Integer.toString(d.streamId()));
        fields.put("strippedChannel", d.strippedChannel());
        fields.put("originalChannel", d.originalChannel());
        fields.put("sourceIdentity", d.sourceIdentity());
        return fields;
    }

    private static String timestamp(final long value)
    {
        return Aeron.NULL_VALUE == value ? "null" : "ts";
    }
}
