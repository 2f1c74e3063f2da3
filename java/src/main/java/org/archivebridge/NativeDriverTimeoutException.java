package org.archivebridge;

import io.aeron.exceptions.DriverTimeoutException;

/**
 * No live Media Driver at the Aeron directory (ABR_ERROR_NO_DRIVER, ABR_ERROR_DRIVER_TIMEOUT): the
 * DriverTimeoutException an Aeron client throws in the same case.
 */
public class NativeDriverTimeoutException extends DriverTimeoutException implements NativeFailure
{
    private static final long serialVersionUID = 1L;

    private final int nativeCode;

    /**
     * @param message    the native message.
     * @param nativeCode the abr_error_code_t value.
     */
    public NativeDriverTimeoutException(final String message, final int nativeCode)
    {
        super(message);
        this.nativeCode = nativeCode;
    }

    /**
     * {@inheritDoc}
     */
    public int nativeCode()
    {
        return nativeCode;
    }
}
