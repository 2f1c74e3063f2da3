package org.archivebridge.conformance;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The gate's command line. */
record GateOptions(List<Scenario> scenarios, ClientKind candidate, Path reportDir, Path logDir, boolean help)
{
    static final String USAGE = String.join("\n",
        "usage: Gate [--scenarios a,b,...] [--candidate NATIVE|JAVA] [--report-dir DIR] [--log-dir DIR] [--help]",
        "",
        "Starts a Media Driver and Archive (Aeron 1.51.0) in a child JVM, runs every scenario on AeronArchive",
        "(the reference) and on the candidate client, checks the Archive's side after each run, compares the",
        "transcripts, prints a table and writes the transcripts as JSON. Exit code 0 only if everything passed.",
        "",
        "  --scenarios    comma-separated scenario names (default: all, in catalogue order)",
        "  --candidate    the client compared with AeronArchive (default NATIVE; JAVA checks the suite itself)",
        "  --report-dir   where transcripts and summary.json go (default target/gate-report)",
        "  --log-dir      where the archive server's output goes (default target)",
        "  --help         this text",
        "",
        "scenarios: " + String.join(", ", Scenarios.names()));

    static GateOptions parse(final String[] args)
    {
        List<Scenario> scenarios = Scenarios.all();
        ClientKind candidate = ClientKind.NATIVE;
        Path reportDir = Path.of("target", "gate-report");
        Path logDir = Path.of("target");
        boolean help = false;

        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--scenarios" -> scenarios = Arrays.stream(value(args, ++i).split(","))
                    .map(String::trim).filter((name) -> !name.isEmpty()).map(Scenarios::named).toList();
                case "--candidate" -> candidate = ClientKind.valueOf(value(args, ++i).toUpperCase());
                case "--report-dir" -> reportDir = Path.of(value(args, ++i));
                case "--log-dir" -> logDir = Path.of(value(args, ++i));
                case "--help", "-h" -> help = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }

        return new GateOptions(scenarios, candidate, reportDir, logDir, help);
    }

    private static String value(final String[] args, final int index)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
