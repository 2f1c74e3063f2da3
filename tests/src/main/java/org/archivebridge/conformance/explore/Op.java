package org.archivebridge.conformance.explore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One generated call: an operation and a token per argument slot. Written as text to reach the child JVM. */
record Op(Operation operation, List<String> args)
{
    Op
    {
        args = List.copyOf(args);
        if (args.size() != operation.slots().size())
        {
            throw new IllegalArgumentException(operation + " takes " + operation.slots().size() + " arguments, not " +
                args);
        }
    }

    Op withArg(final int index, final String token)
    {
        final List<String> changed = new ArrayList<>(args);
        changed.set(index, token);
        return new Op(operation, changed);
    }

    /** Tokens never hold a comma, a semicolon or a space, so a sequence is one line. */
    String encode()
    {
        return args.isEmpty() ? operation.name() : operation.name() + "," + String.join(",", args);
    }

    static Op decode(final String text)
    {
        final String[] parts = text.split(",", -1);
        return new Op(Operation.valueOf(parts[0]), Arrays.asList(parts).subList(1, parts.length));
    }

    static String encode(final List<Op> ops)
    {
        return String.join(";", ops.stream().map(Op::encode).toList());
    }

    static List<Op> decodeAll(final String text)
    {
        return text.isEmpty() ? List.of() : Arrays.stream(text.split(";")).map(Op::decode).toList();
    }

    public String toString()
    {
        return operation.label() + "(" + String.join(", ", args) + ")";
    }
}
