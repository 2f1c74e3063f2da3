package org.archivebridge.conformance.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws operation sequences from a seed: sequence i of seed S is the same on every machine and every run, so a
 * failure is reproduced by its seed and index alone. Most sequences begin by making a recording, so that the calls
 * after it have a real one to work on beside the unknown ids and edge values.
 */
final class SequenceGenerator
{
    static final int MIN_LENGTH = 6;
    static final int MAX_LENGTH = 18;

    private final long seed;
    private final Set<Exclusion> exclusions;
    private final int totalWeight;

    SequenceGenerator(final long seed, final Set<Exclusion> exclusions)
    {
        this.seed = seed;
        this.exclusions = exclusions;
        int weights = 0;
        for (final Operation operation : Operation.values())
        {
            weights += operation.weight();
        }
        this.totalWeight = weights;
    }

    List<Op> sequence(final int index)
    {
        final Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
        final int length = MIN_LENGTH + random.nextInt(MAX_LENGTH - MIN_LENGTH + 1);
        final List<Op> ops = new ArrayList<>(length);
        if (random.nextInt(10) < 7)
        {
            ops.add(draw(Operation.RECORD, random));
        }
        while (ops.size() < length)
        {
            ops.add(draw(operation(random), random));
        }
        return ops;
    }

    private Operation operation(final Random random)
    {
        int pick = random.nextInt(totalWeight);
        for (final Operation operation : Operation.values())
        {
            pick -= operation.weight();
            if (pick < 0)
            {
                return operation;
            }
        }
        throw new IllegalStateException("weights changed under the generator");
    }

    private Op draw(final Operation operation, final Random random)
    {
        final List<String> args = new ArrayList<>();
        for (final Slot slot : operation.slots())
        {
            String token;
            do
            {
                token = slot.draw(random);
            }
            while (excluded(operation, slot, token));
            args.add(token);
        }
        return new Op(operation, args);
    }

    private boolean excluded(final Operation operation, final Slot slot, final String token)
    {
        for (final Exclusion exclusion : exclusions)
        {
            if (exclusion.excludes(operation, slot, token))
            {
                return true;
            }
        }
        return false;
    }
}
