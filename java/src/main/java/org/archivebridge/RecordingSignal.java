package org.archivebridge;

/**
 * What happened to a recording, as {@code io.aeron.archive.codecs.RecordingSignal}, with the same names and wire
 * values. {@link #UNKNOWN} stands for a value this client does not know (a newer archive).
 */
public enum RecordingSignal
{
    START(0),
    STOP(1),
    EXTEND(2),
    REPLICATE(3),
    MERGE(4),
    SYNC(5),
    DELETE(6),
    REPLICATE_END(7),
    UNKNOWN(-1);

    private static final RecordingSignal[] BY_CODE = { START, STOP, EXTEND, REPLICATE, MERGE, SYNC, DELETE, REPLICATE_END };

    private final int code;

    RecordingSignal(final int code)
    {
        this.code = code;
    }

    /**
     * @return the value on the wire.
     */
    public int code()
    {
        return code;
    }

    /**
     * @param code a value from the wire.
     * @return the signal, or {@link #UNKNOWN}.
     */
    public static RecordingSignal get(final int code)
    {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
    }
}
