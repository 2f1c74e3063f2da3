package org.archivebridge.conformance;

/** One scenario's verdict against one Archive version on one transport: a row of the gate's matrix. */
record GateResult(String archiveVersion, ScenarioEnvironment.Transport transport, ScenarioVerdict verdict)
{
    String scenario()
    {
        return verdict.reference().scenario().name();
    }

    /** The column of the matrix this result belongs to, e.g. "1.51.0/udp". */
    String target()
    {
        return archiveVersion + "/" + transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean passed()
    {
        return verdict.passed();
    }
}
