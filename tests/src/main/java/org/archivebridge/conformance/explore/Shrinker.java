package org.archivebridge.conformance.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Makes a failing sequence smaller while it still fails the same way: first without one operation at a time (from
 * the end, so setup before the failure survives longest), then with one argument at a time replaced by the simplest
 * token of its kind, again and again until neither helps or the budget of tries is spent.
 */
final class Shrinker
{
    private final int maxTries;
    private int tries;

    Shrinker(final int maxTries)
    {
        this.maxTries = maxTries;
    }

    /** How many candidate sequences the last shrink ran. */
    int tries()
    {
        return tries;
    }

    /** @param stillFails true when a candidate fails as the original did. */
    List<Op> shrink(final List<Op> failing, final Predicate<List<Op>> stillFails)
    {
        tries = 0;
        List<Op> best = List.copyOf(failing);
        boolean progress = true;
        while (progress && tries < maxTries)
        {
            progress = false;
            for (int i = best.size() - 1; i >= 0 && tries < maxTries; i--)
            {
                final List<Op> candidate = new ArrayList<>(best);
                candidate.remove(i);
                if (accept(candidate, stillFails))
                {
                    best = List.copyOf(candidate);
                    progress = true;
                }
            }
            for (int i = 0; i < best.size() && tries < maxTries; i++)
            {
                final Op op = best.get(i);
                for (int a = 0; a < op.args().size() && tries < maxTries; a++)
                {
                    final String simplest = op.operation().slots().get(a).simplest();
                    if (!simplest.equals(best.get(i).args().get(a)))
                    {
                        final List<Op> candidate = new ArrayList<>(best);
                        candidate.set(i, best.get(i).withArg(a, simplest));
                        if (accept(candidate, stillFails))
                        {
                            best = List.copyOf(candidate);
                            progress = true;
                        }
                    }
                }
            }
        }
        return best;
    }

    private boolean accept(final List<Op> candidate, final Predicate<List<Op>> stillFails)
    {
        tries++;
        return stillFails.test(candidate);
    }
}
