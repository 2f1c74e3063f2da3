package org.archivebridge.migration;

import org.archivebridge.conformance.client.ClientSettings;
import org.archivebridge.conformance.FreePorts;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration proof of issue 12: ArchiveMigrationProgram, written against AeronArchive, is compiled a second time
 * with only the handle types replaced, and both programs run against the same Archive print the same lines.
 */
class ArchiveMigrationTest
{
    /* The whole migration: each type, with its import. Nothing else in the source changes. */
    private static final Map<String, String> HANDLE_TYPES = new LinkedHashMap<>();

    static
    {
        HANDLE_TYPES.put("io.aeron.archive.client.AeronArchive", "org.archivebridge.NativeArchive");
        HANDLE_TYPES.put("io.aeron.Aeron", "org.archivebridge.NativeAeron");
        HANDLE_TYPES.put("io.aeron.Publication", "org.archivebridge.NativePublication");
        HANDLE_TYPES.put("io.aeron.Subscription", "org.archivebridge.NativeSubscription");
    }

    private static final Path PROGRAM =
        Path.of("src/test/java/org/archivebridge/migration/ArchiveMigrationProgram.java");

    private static ScenarioEnvironment environment;

    @BeforeAll
    static void startServer() throws Exception
    {
        environment = ScenarioEnvironment.start(Path.of(System.getProperty("conformance.logDir", "target")));
    }

    @AfterAll
    static void stopServer()
    {
        if (environment != null)
        {
            environment.close();
        }
    }

    @Test
    void theProgramMigratedByChangingItsHandleTypesPrintsTheSame(@TempDir final Path dir) throws Exception
    {
        final String original = Files.readString(PROGRAM);
        final String migrated = migrate(original);
        assertFalse(migrated.contains("AeronArchive."), "every AeronArchive use is replaced");
        assertTrue(migrated.contains("NativeArchive.connect("), migrated);

        final Path source = dir.resolve("src/org/archivebridge/migration/MigratedArchiveProgram.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, migrated);
        final Path classes = Files.createDirectories(dir.resolve("classes"));
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int compiled = compiler.run(null, diagnostics, diagnostics,
            "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertEquals(0, compiled, "the migrated program compiles:\n" + diagnostics);

        final ClientSettings settings = environment.udpSettings();
        final List<String> reference = ArchiveMigrationProgram.run(settings.aeronDirectoryName(),
            settings.controlRequestChannel(), settings.controlRequestStreamId(),
            settings.controlResponseChannel(), settings.controlResponseStreamId(),
            udpChannel(), udpChannel(), 5101);
        final List<String> candidate;
        try (URLClassLoader loader = new URLClassLoader(
            new URL[]{ classes.toUri().toURL() }, getClass().getClassLoader()))
        {
            final Method run = loader.loadClass("org.archivebridge.migration.MigratedArchiveProgram").getMethod(
                "run", String.class, String.class, int.class, String.class, int.class, String.class, String.class,
                int.class);
            @SuppressWarnings("unchecked")
            final List<String> lines = (List<String>)run.invoke(null, settings.aeronDirectoryName(),
                settings.controlRequestChannel(), settings.controlRequestStreamId(),
                settings.controlResponseChannel(), settings.controlResponseStreamId(),
                udpChannel(), udpChannel(), 5201);
            candidate = lines;
        }

        assertEquals(4, reference.size(), reference.toString());
        assertEquals(reference, candidate);
    }

    /* The client has a Media Driver of its own: recorded and replayed streams cross to the Archive's over UDP. */
    private static String udpChannel()
    {
        return "aeron:udp?endpoint=localhost:" + FreePorts.udp();
    }

    /* The type names as whole words, and their imports; the class is renamed so both can load side by side. */
    static String migrate(final String source)
    {
        String migrated = source.replace("ArchiveMigrationProgram", "MigratedArchiveProgram");
        for (final Map.Entry<String, String> type : HANDLE_TYPES.entrySet())
        {
            migrated = migrated.replace("import " + type.getKey() + ";", "import " + type.getValue() + ";");
            final String from = type.getKey().substring(type.getKey().lastIndexOf('.') + 1);
            final String to = type.getValue().substring(type.getValue().lastIndexOf('.') + 1);
            migrated = Pattern.compile("(?<![\\w.])" + from + "\\b").matcher(migrated)
                .replaceAll(Matcher.quoteReplacement(to));
        }
        return migrated;
    }
}
