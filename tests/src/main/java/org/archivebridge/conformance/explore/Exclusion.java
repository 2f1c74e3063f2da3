package org.archivebridge.conformance.explore;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Inputs the explorer leaves out by default because they reach a known defect of issue 10 that is being fixed on
 * another branch, or a fault of the reference itself; the default seeded run stays green while it is. Each names its defect; removing a constant (or
 * running with {@code --explore-exclusions none}) puts the input back.
 */
enum Exclusion
{
    /** Defect 3: a listing consumer that calls back into the client fails on NativeArchive, works on AeronArchive. */
    DEFECT_3_REENTRANT_CALLBACK("reenter", "a consumer that calls the client it is called from (issue 10, defect 3)"),
    /** Defect 4: messageTimeoutNs(Long.MAX_VALUE) makes NativeArchive's connect time out at once. */
    DEFECT_4_MESSAGE_TIMEOUT_MAX("MAX", "a connect with message timeout Long.MAX_VALUE (issue 10, defect 4)"),
    /** Defect 6: updateChannel on an unknown recording fails with another error code on NativeArchive. */
    DEFECT_6_UPDATE_CHANNEL_UNKNOWN(null, "updateChannel on a recording the Archive does not know (issue 10, defect 6)"),
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
            case DEFECT_3_REENTRANT_CALLBACK -> slot == Slot.CONSUMER && token.equals(candidate);
            case DEFECT_4_MESSAGE_TIMEOUT_MAX -> slot == Slot.TIMEOUT && token.equals(candidate);
            case DEFECT_6_UPDATE_CHANNEL_UNKNOWN -> false;
            case REFERENCE_NULL_CREDENTIALS -> slot == Slot.CREDENTIALS && token.equals(candidate);
        };
    }

    /** Every exclusion: the default while the defects are open. */
    static Set<Exclusion> all()
    {
        return EnumSet.allOf(Exclusion.class);
    }

    /** "all", "none", or a comma-separated list of names (e.g. DEFECT_4_MESSAGE_TIMEOUT_MAX). */
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
