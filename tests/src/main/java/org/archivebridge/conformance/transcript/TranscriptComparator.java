package org.archivebridge.conformance.transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Compares a candidate's transcript with the reference's, step by step and descriptor field by field, skipping
 * only the fields that differ between any two clients by design (their own session and correlation ids).
 */
public final class TranscriptComparator
{
    /** The verdict: equal, or the list of differences, each naming the step and what differs. */
    public record Comparison(boolean equal, List<String> differences)
    {
        public String report()
        {
            return equal ? "transcripts equal" : String.join("\n", differences);
        }
    }

    private TranscriptComparator()
    {
    }

    public static Comparison compare(final Transcript reference, final Transcript candidate)
    {
        final List<String> differences = new ArrayList<>();
        final List<Step> expected = reference.steps();
        final List<Step> actual = candidate.steps();
        final String ref = reference.client();
        final String cand = candidate.client();

        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++)
        {
            final String at = "step " + (i + 1);
            if (i >= actual.size())
            {
                differences.add(at + ": only " + ref + " has " + describe(expected.get(i)));
            }
            else if (i >= expected.size())
            {
                differences.add(at + ": only " + cand + " has " + describe(actual.get(i)));
            }
            else
            {
                compareStep(at, expected.get(i), actual.get(i), ref, cand, differences);
            }
        }

        return new Comparison(differences.isEmpty(), List.copyOf(differences));
    }

    private static void compareStep(
        final String at,
        final Step expected,
        final Step actual,
        final String ref,
        final String cand,
        final List<String> differences)
    {
        if (!expected.call().equals(actual.call()))
        {
            differences.add(at + ": " + ref + " called " + expected.call() + ", " + cand + " called " + actual.call());
            return;
        }
        if (!expected.outcome().equals(actual.outcome()))
        {
            differences.add(at + " " + expected.call() + ": " + ref + " -> " + expected.outcome() + ", " + cand +
                " -> " + actual.outcome());
        }

        final List<Map<String, String>> expectedDescriptors = expected.descriptors();
        final List<Map<String, String>> actualDescriptors = actual.descriptors();
        if (expectedDescriptors.size() != actualDescriptors.size())
        {
            differences.add(at + " " + expected.call() + ": " + ref + " received " + expectedDescriptors.size() +
                " descriptor(s), " + cand + " received " + actualDescriptors.size());
            return;
        }
        for (int d = 0; d < expectedDescriptors.size(); d++)
        {
            compareDescriptor(at + " " + expected.call() + " descriptor " + (d + 1),
                expectedDescriptors.get(d), actualDescriptors.get(d), ref, cand, differences);
        }
    }

    private static void compareDescriptor(
        final String at,
        final Map<String, String> expected,
        final Map<String, String> actual,
        final String ref,
        final String cand,
        final List<String> differences)
    {
        final TreeSet<String> fields = new TreeSet<>(expected.keySet());
        fields.addAll(actual.keySet());
        fields.removeAll(DescriptorFields.PER_CLIENT);
        for (final String field : fields)
        {
            final String e = expected.get(field);
            final String a = actual.get(field);
            if (!Objects.equals(e, a))
            {
                differences.add(at + " field " + field + ": " + ref + "=" + e + ", " + cand + "=" + a);
            }
        }
    }

    private static String describe(final Step step)
    {
        return step.call() + " -> " + step.outcome();
    }
}
