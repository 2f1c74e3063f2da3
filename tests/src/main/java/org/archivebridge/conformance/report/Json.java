package org.archivebridge.conformance.report;

import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the report: strings, numbers, booleans, lists and maps (insertion order kept).
 * Hand-written so the suite needs nothing beyond Aeron and JUnit.
 */
public final class Json
{
    private Json()
    {
    }

    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.append('\n').toString();
    }

    private static void write(final Object value, final StringBuilder out, final int depth)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value);
        }
        else if (value instanceof Map<?, ?> map)
        {
            writeMap(map, out, depth);
        }
        else if (value instanceof List<?> list)
        {
            writeList(list, out, depth);
        }
        else
        {
            string(value.toString(), out);
        }
    }

    private static void writeMap(final Map<?, ?> map, final StringBuilder out, final int depth)
    {
        if (map.isEmpty())
        {
            out.append("{}");
            return;
        }
        out.append('{');
        String separator = "\n";
        for (final Map.Entry<?, ?> entry : map.entrySet())
        {
            out.append(separator);
            indent(out, depth + 1);
            string(String.valueOf(entry.getKey()), out);
            out.append(": ");
            write(entry.getValue(), out, depth + 1);
            separator = ",\n";
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static void writeList(final List<?> list, final StringBuilder out, final int depth)
    {
        if (list.isEmpty())
        {
            out.append("[]");
            return;
        }
        out.append('[');
        String separator = "\n";
        for (final Object item : list)
        {
            out.append(separator);
            indent(out, depth + 1);
            write(item, out, depth + 1);
            separator = ",\n";
        }
        out.append('\n');
        indent(out, depth);
        out.append(']');
    }

    private static void indent(final StringBuilder out, final int depth)
    {
        out.append("  ".repeat(depth));
    }

    static void string(final String text, final StringBuilder out)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
