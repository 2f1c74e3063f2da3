package org.archivebridge.conformance.explore;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequenceGeneratorTest
{
    private static final int MANY = 500;

    @Test
    void aSeedAndIndexAlwaysGiveTheSameSequence()
    {
        final SequenceGenerator one = new SequenceGenerator(42, Exclusion.all());
        final SequenceGenerator two = new SequenceGenerator(42, Exclusion.all());
        for (int i = 0; i < MANY; i++)
        {
            assertEquals(one.sequence(i), two.sequence(i));
        }
        assertNotEquals(one.sequence(0), one.sequence(1));
        assertNotEquals(one.sequence(0), new SequenceGenerator(43, Exclusion.all()).sequence(0));
    }

    @Test
    void aSequenceSurvivesItsTripToTheChildJvm()
    {
        final SequenceGenerator generator = new SequenceGenerator(7, EnumSet.noneOf(Exclusion.class));
        for (int i = 0; i < MANY; i++)
        {
            final List<Op> ops = generator.sequence(i);
            assertTrue(ops.size() >= SequenceGenerator.MIN_LENGTH && ops.size() <= SequenceGenerator.MAX_LENGTH);
            assertEquals(ops, Op.decodeAll(Op.encode(ops)));
        }
    }

    @Test
    void everyOperationAndEveryTokenIsDrawnWhenNothingIsExcluded()
    {
        final SequenceGenerator generator = new SequenceGenerator(11, EnumSet.noneOf(Exclusion.class));
        final EnumSet<Operation> drawn = EnumSet.noneOf(Operation.class);
        final java.util.Set<String> tokens = new java.util.HashSet<>();
        for (int i = 0; i < 4 * MANY; i++)
        {
            for (final Op op : generator.sequence(i))
            {
                drawn.add(op.operation());
                for (int a = 0; a < op.args().size(); a++)
                {
                    tokens.add(op.operation().slots().get(a) + "=" + op.args().get(a));
                }
            }
        }
        assertEquals(EnumSet.allOf(Operation.class), drawn);
        for (final Operation operation : Operation.values())
        {
            for (final Slot slot : operation.slots())
            {
                for (final String token : slot.tokens())
                {
                    assertTrue(tokens.contains(slot + "=" + token), slot + "=" + token + " never drawn");
                }
            }
        }
    }

    @Test
    void anExcludedInputIsNeverDrawn()
    {
        final SequenceGenerator generator = new SequenceGenerator(11, Exclusion.all());
        for (int i = 0; i < 4 * MANY; i++)
        {
            for (final Op op : generator.sequence(i))
            {
                for (int a = 0; a < op.args().size(); a++)
                {
                    final Slot slot = op.operation().slots().get(a);
                    final String token = op.args().get(a);
                    assertFalse(slot == Slot.CREDENTIALS && "null".equals(token), op::toString);
                }
            }
        }
    }

    @Test
    void shrinkingKeepsOnlyWhatTheFailureNeeds()
    {
        final List<Op> failing = new SequenceGenerator(3, Exclusion.all()).sequence(0);
        final Op culprit = new Op(Operation.PURGE_RECORDING, List.of("unknown"));
        final java.util.ArrayList<Op> ops = new java.util.ArrayList<>(failing);
        ops.add(ops.size() / 2, culprit);
        final Predicate<List<Op>> fails = (candidate) -> candidate.contains(culprit);

        final Shrinker shrinker = new Shrinker(1_000);
        assertEquals(List.of(culprit), shrinker.shrink(ops, fails));
        assertTrue(shrinker.tries() > ops.size());
    }

    @Test
    void shrinkingSimplifiesArgumentsTheFailureDoesNotNeed()
    {
        final Op noisy = new Op(Operation.TRUNCATE_RECORDING, List.of("MIN", "stop@1+4096"));
        final Predicate<List<Op>> fails = (candidate) -> candidate.stream().anyMatch((op) ->
            op.operation() == Operation.TRUNCATE_RECORDING && "stop@1+4096".equals(op.args().get(1)));

        final List<Op> shrunk = new Shrinker(1_000).shrink(
            List.of(new Op(Operation.STATE, List.of()), noisy), fails);
        assertEquals(List.of(new Op(Operation.TRUNCATE_RECORDING, List.of("rec@1", "stop@1+4096"))), shrunk);
    }

    @Test
    void shrinkingStopsAtItsBudget()
    {
        final List<Op> ops = new SequenceGenerator(5, Exclusion.all()).sequence(1);
        final Shrinker shrinker = new Shrinker(3);
        assertEquals(ops, shrinker.shrink(ops, (candidate) -> false));
        assertEquals(3, shrinker.tries());
    }
}
