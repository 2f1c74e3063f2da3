package org.archivebridge.conformance.transcript;

import org.archivebridge.conformance.report.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one client did in one scenario, step by step, normalised so two clients' transcripts can be compared. */
public final class Transcript
{
    private final String scenario;
    private final String client;
    private final List<Step> steps = new ArrayList<>();

    public Transcript(final String scenario, final String client)
    {
        this.scenario = scenario;
        this.client = client;
    }

    public String scenario()
    {
        return scenario;
    }

    public String client()
    {
        return client;
    }

    public List<Step> steps()
    {
        return List.copyOf(steps);
    }

    public Transcript add(final Step step)
    {
        steps.add(step);
        return this;
    }

    /** A copy with one step replaced: how the comparator's own tests make a transcript differ on purpose. */
    public Transcript withStep(final int index, final Step step)
    {
        final Transcript copy = new Transcript(scenario, client);
        copy.steps.addAll(steps);
        copy.steps.set(index, step);
        return copy;
    }

    public String toJson()
    {
        final List<Object> stepList = new ArrayList<>();
        for (final Step step : steps)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("operation", step.operation());
            entry.put("arguments", step.arguments());
            entry.put("outcome", step.outcome());
            if (!step.descriptors().isEmpty())
            {
                entry.put("descriptors", step.descriptors());
            }
            stepList.add(entry);
        }

        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", scenario);
        root.put("client", client);
        root.put("steps", stepList);
        return Json.write(root);
    }
}
