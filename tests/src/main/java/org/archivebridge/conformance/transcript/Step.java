package org.archivebridge.conformance.transcript;

import java.util.List;
import java.util.Map;

/**
 * One client call in a transcript, already normalised: the operation, its arguments, its outcome (a value, a
 * symbol such as {@code recording#1}, {@code ok}, or a failure label such as {@code ERROR(code=UNKNOWN_RECORDING)})
 * and the descriptors it delivered, each as field name to normalised value.
 */
public record Step(String operation, List<String> arguments, String outcome, List<Map<String, String>> descriptors)
{
    public Step
    {
        arguments = List.copyOf(arguments);
        descriptors = List.copyOf(descriptors);
    }

    public Step withOutcome(final String outcome)
    {
        return new Step(operation, arguments, outcome, descriptors);
    }

    public String call()
    {
        return operation + "(" + String.join(", ", arguments) + ")";
    }
}
