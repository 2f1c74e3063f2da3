package org.archivebridge.conformance.soak;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The soak command's command line: every case here is refused or answered before a server is started, so a wrong
 * parse shows up as a started soak (a long run and a different exit code), not as a silent default.
 */
class SoakCommandLineTest
{
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpPrintsTheOptionsAndExitsZero() throws Exception
    {
        assertEquals(0, run("--help"));
        final String usage = out.toString(StandardCharsets.UTF_8);
        assertTrue(usage.startsWith("Usage: soak"), usage);
        for (final String option : new String[]{ "--cycles", "--report-every", "--transport", "default 10000" })
        {
            assertTrue(usage.contains(option), option + " missing from:\n" + usage);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--cycles 0                 | --cycles must be > 0, got 0",
        "--cycles -1                | --cycles must be > 0, got -1",
        "--report-every 0           | --report-every must be > 0, got 0",
        "--cycles 2147483648        | '2147483648' is not an int",
        "--cycles ten               | 'ten' is not an int",
        "--cycles                   | Missing required parameter for option '--cycles'",
        "--transport both           | --transport takes ipc or udp, got both",
        "--transport tcp            | --transport takes ipc or udp, got tcp",
        "--transport ''             | --transport takes ipc or udp, got ",
        "--bogus                    | Unknown option: '--bogus'",
    })
    void badCommandLineExitsTwoNamingWhatIsWrong(final String commandLine, final String expected) throws Exception
    {
        assertEquals(2, run(split(commandLine)));
        final String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("soak: "), printed);
        assertTrue(printed.contains(expected), "expected '" + expected + "' in:\n" + printed);
        assertTrue(printed.contains("Usage: soak"), printed);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private int run(final String... args) throws Exception
    {
        return Soak.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String[] split(final String commandLine)
    {
        final String[] parts = commandLine.trim().split(" +");
        for (int i = 0; i < parts.length; i++)
        {
            if ("''".equals(parts[i]))
            {
                parts[i] = "";
            }
        }
        return parts;
    }
}
