package org.archivebridge.conformance.explore;

import org.archivebridge.conformance.server.CheckResult;
import org.archivebridge.conformance.transcript.Step;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines a child JVM prints for the parent: a protocol line starts with {@link #PREFIX} and a keyword, its fields
 * Base64 text (never a space, comma, colon or semicolon inside), so nothing the libraries print is mistaken for one.
 */
final class WireFormat
{
    static final String PREFIX = "@@explore ";
    static final String READY = "READY";
    static final String OP = "OP";
    static final String STEP = "STEP";
    static final String CHECK = "CHECK";
    static final String EXPECT = "EXPECT";
    static final String UNEXPECTED = "UNEXPECTED";
    static final String DONE = "DONE";
    static final String REFUSED = "REFUSED";
    static final String MARK = "MARK";
    private static final String NONE = "-";

    private WireFormat()
    {
    }

    static String line(final String keyword, final String... fields)
    {
        return PREFIX + keyword + (fields.length == 0 ? "" : " " + String.join(" ", fields));
    }

    static String step(final Step step)
    {
        final List<String> descriptors = new ArrayList<>();
        for (final Map<String, String> descriptor : step.descriptors())
        {
            final List<String> fields = new ArrayList<>();
            descriptor.forEach((name, value) -> fields.add(text(name) + ":" + text(value)));
            descriptors.add(fields.isEmpty() ? NONE : String.join(",", fields));
        }
        return line(STEP, text(step.operation()), list(step.arguments()), text(step.outcome()),
            descriptors.isEmpty() ? NONE : String.join(";", descriptors));
    }

    static Step parseStep(final String[] fields)
    {
        final List<Map<String, String>> descriptors = new ArrayList<>();
        if (!NONE.equals(fields[3]))
        {
            for (final String descriptor : fields[3].split(";"))
            {
                final Map<String, String> map = new LinkedHashMap<>();
                if (!NONE.equals(descriptor))
                {
                    for (final String field : descriptor.split(","))
                    {
                        final String[] nameValue = field.split(":", -1);
                        map.put(untext(nameValue[0]), untext(nameValue[1]));
                    }
                }
                descriptors.add(map);
            }
        }
        return new Step(untext(fields[0]), unlist(fields[1]), untext(fields[2]), descriptors);
    }

    static String check(final CheckResult check)
    {
        return line(CHECK, Boolean.toString(check.passed()), text(check.name()), text(check.detail()));
    }

    static CheckResult parseCheck(final String[] fields)
    {
        return new CheckResult(untext(fields[1]), Boolean.parseBoolean(fields[0]), untext(fields[2]));
    }

    /** A text field; "n" stands for null, so a null outcome or detail survives the trip. */
    static String text(final String value)
    {
        return null == value ? "n" : "t" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String untext(final String field)
    {
        return "n".equals(field) ? null :
            new String(Base64.getDecoder().decode(field.substring(1)), StandardCharsets.UTF_8);
    }

    private static String list(final List<String> values)
    {
        return values.isEmpty() ? NONE : String.join(",", values.stream().map(WireFormat::text).toList());
    }

    private static List<String> unlist(final String field)
    {
        if (NONE.equals(field))
        {
            return List.of();
        }
        final List<String> values = new ArrayList<>();
        for (final String value : field.split(","))
        {
            values.add(untext(value));
        }
        return values;
    }
}
