package org.archivebridge;

import io.aeron.ErrorCode;
import io.aeron.exceptions.RegistrationException;

/**
 * The Media Driver rejected a command of the native client (ABR_ERROR_DRIVER_REJECTED): a publication, subscription
 * or destination it could not add, as the {@link RegistrationException} an Aeron client throws for the same command.
 * The same {@link #correlationId()}, {@link #errorCodeValue()} and {@link #errorCode()}, and a message that begins as
 * Aeron's (the driver's own words, then {@code , errorCodeValue=}); the native details (the command, channel and
 * stream id) follow in brackets.
 */
public class NativeRegistrationException extends RegistrationException implements NativeFailure
{
    private static final long serialVersionUID = 1L;

    private final int nativeCode;
    private final String message;

    /**
     * @param correlationId  of the command the driver rejected.
     * @param errorCodeValue the driver's error code value.
     * @param driverMessage  the driver's message.
     * @param nativeCode     the abr_error_code_t value.
     * @param details        the native message: which command, channel and stream id; empty for none.
     */
    public NativeRegistrationException(
        final long correlationId,
        final int errorCodeValue,
        final String driverMessage,
        final int nativeCode,
        final String details)
    {
        super(correlationId, errorCodeValue, ErrorCode.get(errorCodeValue), driverMessage);
        this.nativeCode = nativeCode;
        this.message = details.isEmpty() ? super.getMessage() : super.getMessage() + " [" + details + "]";
    }

    /**
     * {@inheritDoc}
     */
    public String getMessage()
    {
        return message;
    }

    /**
     * {@inheritDoc}
     */
    public int nativeCode()
    {
        return nativeCode;
    }
}
