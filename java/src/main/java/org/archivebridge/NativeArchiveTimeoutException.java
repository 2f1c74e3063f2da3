package org.archivebridge;

import io.aeron.exceptions.TimeoutException;

/**
 * The archive did not answer within the message timeout (ABR_ERROR_TIMEOUT): the TimeoutException AeronArchive
 * throws for a request or a connect that timed out. The message names what was awaited and the timeout.
 */
public class NativeArchiveTimeoutException extends TimeoutException implements NativeFailure
{
    private static final long serialVersionUID = 1L;

    private final int nativeCode;
    private final long correlationId;

    /**
     * @param message       the native message.
     * @param nativeCode    the abr_error_code_t value.
     * @param correlationId of the request whose answer timed out, or -1 for none (the connect's own steps).
     */
    public NativeArchiveTimeoutException(final String message, final int nativeCode, final long correlationId)
    {
        super(message, Category.ERROR);
        this.nativeCode = nativeCode;
        this.correlationId = correlationId;
    }

    /**
     * {@inheritDoc}
     */
    public int nativeCode()
    {
        return nativeCode;
    }

    /**
     * @return the correlation id of the request whose answer timed out, or -1 when none was sent.
     */
    public long correlationId()
    {
        return correlationId;
    }
}
