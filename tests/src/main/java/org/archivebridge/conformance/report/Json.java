package org.archivebridge.conformance.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.UncheckedIOException;

/**
 * The reports' and transcripts' JSON, written by Jackson: maps keep their insertion order, and the layout (two-space
 * indent, one array item a line, {@code "key": value}, {@code []} when empty) is the one the files always had, so
 * a diff between two runs' reports shows changed values only.
 */
public final class Json
{
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter(
        Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
        .withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json()
    {
    }

    /** Strings, numbers, booleans, nulls, lists and maps, as one JSON document ending in a newline. */
    public static String write(final Object value)
    {
        try
        {
            return WRITER.writeValueAsString(value) + "\n";
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException("cannot write " + value.getClass().getName() + " as JSON", ex);
        }
    }
}
