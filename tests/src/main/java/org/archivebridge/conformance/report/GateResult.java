package org.archivebridge.conformance.report;

import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.scenario.ScenarioVerdict;

/** One scenario's verdict against one Archive version on one transport: a row of the gate's matrix. */
public record GateResult(String archiveVersion, ScenarioEnvironment.Transport transport, ScenarioVerdict verdict)
{
    public String scenario()
    {
        return verdict.reference().scenario().name();
    }

    /** The column of the matrix this result belongs to, e.g. "1.51.0/udp". */
    public String target()
    {
        return archiveVersion + "/" + transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean passed()
    {
        return verdict.passed();
    }
}
