package org.archivebridge.conformance.transcript;

import org.archivebridge.conformance.client.RecordingDescriptor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriptComparatorTest
{
    @Test
    void sameBehaviourWithDifferentServerIdsCompareEqual()
    {
        final Transcript first = recording("a", 7, 1111, 42, 900, 1_700_000_000_000L);
        final Transcript second = recording("b", 8, 2222, 77, 901, 1_700_000_123_456L);

        final TranscriptComparator.Comparison comparison = TranscriptComparator.compare(first, second);

        assertTrue(comparison.equal(), comparison::report);
    }

    @Test
    void alteredOutcomeComparesUnequal()
    {
        final Transcript reference = recording("a", 7, 1111, 42, 900, 1L);
        final Transcript altered = reference.withStep(1, reference.steps().get(1).withOutcome("ERROR(code=GENERIC)"));

        final TranscriptComparator.Comparison comparison = TranscriptComparator.compare(reference, altered);

        assertFalse(comparison.equal());
        assertTrue(comparison.report().contains("getStopPosition(recording#1)"), comparison::report);
        assertTrue(comparison.report().contains("ERROR(code=GENERIC)"), comparison::report);
    }

    @Test
    void alteredDescriptorFieldComparesUnequal()
    {
        final Transcript reference = recording("a", 7, 1111, 42, 900, 1L);
        final Step listing = reference.steps().get(2);
        final Map<String, String> changed = new LinkedHashMap<>(listing.descriptors().get(0));
        changed.put("stopPosition", "1599");
        final Transcript altered = reference.withStep(2,
            new Step(listing.operation(), listing.arguments(), listing.outcome(), List.of(changed)));

        final TranscriptComparator.Comparison comparison = TranscriptComparator.compare(reference, altered);

        assertFalse(comparison.equal());
        assertEquals(1, comparison.differences().size(), comparison::report);
        assertTrue(comparison.differences().get(0).contains("field stopPosition"), comparison::report);
    }

    @Test
    void perClientIdsAreNotCompared()
    {
        final Transcript reference = recording("a", 7, 1111, 42, 900, 1L);
        final Step listing = reference.steps().get(2);
        final Map<String, String> changed = new LinkedHashMap<>(listing.descriptors().get(0));
        changed.put("controlSessionId", "controlSession#9");
        changed.put("correlationId", "something else");
        final Transcript altered = reference.withStep(2,
            new Step(listing.operation(), listing.arguments(), listing.outcome(), List.of(changed)));

        assertTrue(TranscriptComparator.compare(reference, altered).equal());
    }

    @Test
    void missingStepComparesUnequal()
    {
        final Transcript reference = recording("a", 7, 1111, 42, 900, 1L);
        final Transcript shorter = new Transcript("record", "b");
        reference.steps().subList(0, 2).forEach(shorter::add);

        final TranscriptComparator.Comparison comparison = TranscriptComparator.compare(reference, shorter);

        assertFalse(comparison.equal());
        assertTrue(comparison.report().contains("only a has"), comparison::report);
    }

    @Test
    void differentDescriptorCountComparesUnequal()
    {
        final Transcript reference = recording("a", 7, 1111, 42, 900, 1L);
        final Step listing = reference.steps().get(2);
        final Transcript altered = reference.withStep(2,
            new Step(listing.operation(), listing.arguments(), listing.outcome(), List.of()));

        assertFalse(TranscriptComparator.compare(reference, altered).equal());
    }

    @Test
    void transcriptJsonEscapesText()
    {
        final Transcript transcript = new Transcript("quote\"d", "c")
            .add(new Step("op", List.of("a\\b", "line\nbreak"), "ok", List.of()));

        final String json = transcript.toJson();

        assertTrue(json.contains("\"scenario\": \"quote\\\"d\""), json);
        assertTrue(json.contains("\"a\\\\b\""), json);
        assertTrue(json.contains("\"line\\nbreak\""), json);
    }

    /** A transcript as a recording scenario writes it, from raw server values that differ between runs. */
    private static Transcript recording(
        final String client,
        final long recordingId,
        final long controlSessionId,
        final int sessionId,
        final int initialTermId,
        final long timestamp)
    {
        final Symbols symbols = new Symbols();
        final String recording = symbols.of("recording", recordingId);
        final RecordingDescriptor descriptor = new RecordingDescriptor(controlSessionId, 5, recordingId, timestamp,
            timestamp + 10, 0, 1600, initialTermId, 128 * 1024 * 1024, 64 * 1024, 1408, sessionId, 1001,
            "aeron:ipc", "aeron:ipc", "aeron:ipc");
        return new Transcript("record", client)
            .add(new Step("connect", List.of("udp"), symbols.of("controlSession", controlSessionId), List.of()))
            .add(new Step("getStopPosition", List.of(recording), "1600", List.of()))
            .add(new Step("listRecording", List.of(recording), "1", List.of(DescriptorFields.of(descriptor, symbols))));
    }
}
