package org.archivebridge.consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C consumer (consumers/c, built with find_package(archive-bridge) against the installed package) run against a
 * Java Media Driver and Archive: it records, lists, replays and closes, and exits 0 only when all of that held.
 * Its path comes from -Dconsumer.c.program; .ci/consumers builds it first.
 */
class CConsumerTest
{
    @Test
    @Timeout(180)
    void theCConsumerRecordsListsReplaysAndCloses() throws IOException, InterruptedException
    {
        final String program = System.getProperty("consumer.c.program", "");
        assertFalse(program.isBlank(), "no -Dconsumer.c.program: build consumers/c and name its executable");
        assertTrue(new File(program).canExecute(), program + " is not an executable");

        try (EmbeddedArchive server = new EmbeddedArchive())
        {
            final File log = File.createTempFile("c-consumer", ".log");
            final Process process = new ProcessBuilder(program, server.aeronDirectoryName(),
                EmbeddedArchive.CONTROL_CHANNEL, Integer.toString(EmbeddedArchive.CONTROL_STREAM_ID))
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
            final boolean exited;
            try
            {
                exited = process.waitFor(120, TimeUnit.SECONDS);
            }
            finally
            {
                process.destroyForcibly();
            }
            final String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            Files.delete(log.toPath());
            assertTrue(exited, "the C consumer did not exit in 120 s: " + output);
            System.out.print(output);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("consumer: replayed 10 messages of recording"), output);
            assertTrue(output.endsWith("consumer: closed\n"), output);
        }
    }
}
