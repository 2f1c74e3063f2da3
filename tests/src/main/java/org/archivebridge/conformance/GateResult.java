package org.archivebridge.conformance;

/** One scenario's verdict against one Archive version: a cell row of the gate's matrix. */
record GateResult(String archiveVersion, ScenarioVerdict verdict)
{
    String scenario()
    {
        return verdict.reference().scenario().name();
    }

    boolean passed()
    {
        return verdict.passed();
    }
}
