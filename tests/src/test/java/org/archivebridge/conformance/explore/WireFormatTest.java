package org.archivebridge.conformance.explore;

import org.archivebridge.conformance.server.CheckResult;
import org.archivebridge.conformance.transcript.Step;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WireFormatTest
{
    @Test
    void aStepComesBackAsItWentWhateverItHolds()
    {
        final Map<String, String> descriptor = new LinkedHashMap<>();
        descriptor.put("strippedChannel", "aeron:ipc?alias=a,b;c d:e");
        descriptor.put("sourceIdentity", "");
        for (final Step step : List.of(
            new Step("connect", List.of(), "controlSession#1", List.of()),
            new Step("pollForErrorResponse", List.of(), null, List.of()),
            new Step("listRecordings", List.of("rec@1", "MAX", "collect", ""), "2",
                List.of(descriptor, Map.of(), descriptor)),
            new Step("startRecording", List.of("aeron:\u0001\u00e9\u6f22?=;|\u0000", "x".repeat(70_000)),
                "ERROR(code=GENERIC)", List.of())))
        {
            assertEquals(step, parse(WireFormat.step(step)));
        }
    }

    @Test
    void aCheckComesBackAsItWent()
    {
        final CheckResult check = new CheckResult("sessions back", false, "2 (before 1)\nafter 5000ms");
        final String line = WireFormat.check(check);
        assertEquals(check, WireFormat.parseCheck(fields(line)));
    }

    private static Step parse(final String line)
    {
        return WireFormat.parseStep(fields(line));
    }

    private static String[] fields(final String line)
    {
        final String[] parts = line.substring(WireFormat.PREFIX.length()).split(" ");
        return Arrays.copyOfRange(parts, 1, parts.length);
    }
}
