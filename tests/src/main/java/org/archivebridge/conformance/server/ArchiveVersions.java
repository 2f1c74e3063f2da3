package org.archivebridge.conformance.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Aeron releases the server can run: the build (tests/pom.xml) copies each release's aeron-all jar, which
 * carries the Agrona it was built with, into target/archive-versions/&lt;version&gt;/, so a server of any of them
 * starts from local jars only. The clients under test stay at the build's own Aeron version.
 */
public final class ArchiveVersions
{
    /** The release the gate runs unless told otherwise: the one the clients are built against. */
    public static final String DEFAULT = "1.51.0";

    /**
     * Every release the matrix covers, oldest first: 1.44.1 is the line the seed's teams upgraded from, 1.47.3 the
     * one the session-termination reports came from.
     */
    public static final List<String> ALL = List.of("1.44.1", "1.47.3", "1.47.4", "1.49.3", "1.51.0");

    private ArchiveVersions()
    {
    }

    /** Parse "all" or a comma-separated list of versions, refusing any the build did not provide. */
    public static List<String> parse(final String value)
    {
        if ("all".equalsIgnoreCase(value.trim()))
        {
            return ALL;
        }
        final List<String> versions = Stream.of(value.split(",")).map(String::trim).filter((v) -> !v.isEmpty())
            .collect(Collectors.toList());
        for (final String version : versions)
        {
            if (!ALL.contains(version))
            {
                throw new IllegalArgumentException("archive version " + version + " is not in the matrix " + ALL);
            }
        }
        if (versions.isEmpty())
        {
            throw new IllegalArgumentException("--archive-versions needs at least one version");
        }
        return versions;
    }

    /**
     * The child JVM's class path for a version: our compiled classes (for {@link ArchiveServerMain}, which uses
     * only API present in every listed release) and that release's jars.
     */
    static String serverClassPath(final String version)
    {
        final Path classes = classesDir();
        final Path dir = classes.resolveSibling("archive-versions").resolve(version);
        final List<String> jars;
        try (Stream<Path> files = Files.list(dir))
        {
            jars = files.filter((file) -> file.toString().endsWith(".jar")).map(Path::toString).sorted()
                .collect(Collectors.toList());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("no jars for Aeron " + version + " in " + dir +
                " (they are copied by the build: mvn package)", ex);
        }
        if (jars.isEmpty())
        {
            throw new IllegalStateException("no jars for Aeron " + version + " in " + dir);
        }
        return classes + File.pathSeparator + String.join(File.pathSeparator, jars);
    }

    private static Path classesDir()
    {
        try
        {
            return Path.of(ArchiveServerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final URISyntaxException ex)
        {
            throw new IllegalStateException("cannot locate the conformance classes", ex);
        }
    }
}
