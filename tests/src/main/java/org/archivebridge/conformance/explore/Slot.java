package org.archivebridge.conformance.explore;

import java.util.List;
import java.util.Random;

/**
 * The kind of one argument of an explored operation, and the tokens it is drawn from. A token is what the
 * transcript shows; {@link SequenceRun} turns it into the value the client gets. Tokens name edge values (MIN,
 * MAX, -1, 0, 1), unaligned and future positions, unknown ids, null, empty, garbage and 1 MiB strings, and things
 * the sequence itself made ({@code rec@1} is its first recording), so that both clients, run one after the other
 * on the same Archive, get arguments that mean the same to each.
 * <p>
 * Small literal recording ids are never drawn: the Archive is shared, and recording 0 or 1 is some earlier run's, so
 * a purge of it would change what the next run sees. Unknown ids are far beyond any this Archive hands out.
 */
enum Slot
{
    /** A recording id. */
    RECORDING("rec@1", "rec@1", "rec@1", "rec@2", "rec@3", "unknown", "-1", "MAX", "MIN"),
    /** A position in a recording: edges, frame boundaries, unaligned, beyond the end. */
    POSITION("0", "stop@1", "frame@1", "stop@1+1", "stop@1+4096", "stop@1-32", "33", "32", "-1", "1", "MAX", "MIN",
        "stop@2"),
    /** A replay or detach length; -1 is Aeron's NULL_LENGTH. */
    LENGTH("-1", "stop@1", "0", "1", "33", "MAX", "MIN"),
    /** A count or an index of a listing. */
    COUNT("1", "2", "100", "0", "-1", "MAX", "MIN"),
    /** A stream id. */
    STREAM("5001", "stream@1", "0", "1", "-1", "MAX", "MIN"),
    /** A channel to record, replay to or reply on. */
    CHANNEL("ipc", "ipc-alias", "udp-any-port", "null", "empty", "garbage", "huge", "no-scheme", "unknown-media",
        "bad-term-length", "spy"),
    /** A channel fragment to match recordings against. */
    FRAGMENT("ipc", "alias", "null", "empty", "garbage", "huge"),
    RECORDING_SOURCE("LOCAL", "REMOTE"),
    FLAG("true", "false"),
    /** A recording subscription id. */
    SUBSCRIPTION("sub@1", "sub@1", "sub@2", "unknown", "-1", "0", "MAX", "MIN"),
    /** A replay session id. */
    REPLAY("replay@1", "replay@1", "replay@2", "unknown", "-1", "0", "MAX", "MIN"),
    /** A counter id on the Archive's driver: none (-1), system counters (0, 1), unknown, edges. */
    COUNTER("-1", "0", "1", "99999", "MAX", "MIN"),
    /** A file I/O limit: none, below the MTU, a small one, edges. */
    FILE_IO("-1", "4096", "0", "1", "1024", "MAX", "MIN"),
    /** A replay token, a tag or a session id of the replication parameters. */
    LONG_VALUE("-1", "0", "1", "195936478", "MAX", "MIN"),
    /** An int session id or replication session id. */
    INT_VALUE("-1", "0", "1", "MAX", "MIN"),
    /** Encoded credentials. */
    CREDENTIALS("null", "empty", "garbage"),
    /** A message timeout for a connect, in nanoseconds; 0 leaves it to the context. */
    TIMEOUT("5000000000", "1000000000", "1", "0", "-1", "MAX"),
    /** What a listing's consumer does with each descriptor. */
    CONSUMER("collect", "collect", "throw", "reenter"),
    /** How many messages a recording gets. */
    MESSAGES("3", "1", "20"),
    /** How long each message of a recording is. */
    MESSAGE_LENGTH("100", "32", "1000"),
    /** Where a replay that is read starts. */
    READ_POSITION("0", "frame@1", "stop@1"),
    /** How much of it is read. */
    READ_LENGTH("-1", "stop@1", "MAX");

    private final List<String> tokens;

    Slot(final String... tokens)
    {
        this.tokens = List.of(tokens);
    }

    List<String> tokens()
    {
        return tokens;
    }

    /** The token a shrunk sequence tries first: the most ordinary value of this kind. */
    String simplest()
    {
        return tokens.get(0);
    }

    String draw(final Random random)
    {
        return tokens.get(random.nextInt(tokens.size()));
    }
}
