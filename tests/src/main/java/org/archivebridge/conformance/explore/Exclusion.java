package org.archivebridge.conformance.explore;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Inputs the explorer leaves out by default because they reach a known fault that is not archive-bridge's to fix (the
 * reference's own) or a defect still open; each names why. Removing a constant (or running with
 * {@code --explore-exclusions none}) puts the input back. Issue 10's defects 3, 4 and 6 were excluded here until they
 * were fixed.
 */
enum Exclusion
{
    /**
     * Found by the explorer (seed 20261203), a fault of the reference: AeronArchive's replicate throws
     * NullPointerException for ReplicationParams.encodedCredentials(null), which NativeArchive takes as none.
     */
    REFERENCE_NULL_CREDENTIALS("null",
        "replicate with null encoded credentials, on which AeronArchive itself throws NullPointerException");

    private final String token;
    private final String description;

    Exclusion(final String token, final String description)
    {
        this.token = token;
        this.description = description;
    }

    String description()
    {
        return description;
    }

    /** Whether this exclusion keeps a token of an operation's argument slot from being drawn. */
    boolean excludes(final Operation operation, final Slot slot, final String candidate)
    {
        return switch (this)
        {
            case REFERENCE_NULL_CREDENTIALS -> slot == Slot.CREDENTIALS && token.equals(candidate);
        };
    }

    /** Every exclusion: the default. */
    static Set<Exclusion> all()
    {
        return EnumSet.allOf(Exclusion.class);
    }

    /** "all", "none", or a comma-separated list of names (e.g. REFERENCE_NULL_CREDENTIALS). */
    static Set<Exclusion> parse(final String value)
    {
        final String text = value.trim();
        if ("all".equalsIgnoreCase(text))
        {
            return all();
        }
        final Set<Exclusion> chosen = EnumSet.noneOf(Exclusion.class);
        if ("none".equalsIgnoreCase(text) || text.isEmpty())
        {
            return chosen;
        }
        Arrays.stream(text.split(",")).map(String::trim).filter((name) -> !name.isEmpty())
            .forEach((name) -> chosen.add(valueOf(name.toUpperCase(Locale.ROOT))));
        return chosen;
    }

    static String names(final Set<Exclusion> exclusions)
    {
        return exclusions.isEmpty() ? "none" : String.join(",", exclusions.stream().map(Enum::name).toList());
    }
}
