package org.archivebridge.conformance.transcript;

import java.util.HashMap;
import java.util.Map;

/**
 * Names for server-assigned values, in order of first appearance within one transcript: the first recording id
 * seen is {@code recording#1} whatever number the Archive gave it, so two clients that did the same thing on a
 * shared server read the same.
 */
public final class Symbols
{
    private final Map<String, Map<Long, String>> byKind = new HashMap<>();

    public String of(final String kind, final long value)
    {
        final Map<Long, String> names = byKind.computeIfAbsent(kind, (k) -> new HashMap<>());
        return names.computeIfAbsent(value, (v) -> kind + "#" + (names.size() + 1));
    }
}
