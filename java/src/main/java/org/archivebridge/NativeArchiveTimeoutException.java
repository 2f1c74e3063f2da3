package org.archivebridge;

/**
 * The archive did not answer within the message timeout (ABR_ERROR_TIMEOUT), as AeronArchive's
 * {@code ArchiveException} for a timed-out request; its {@link #errorCode()} is {@link #GENERIC}.
 */
public class NativeArchiveTimeoutException extends NativeArchiveException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message    the native message.
     * @param nativeCode the abr_error_code_t value.
     */
    public NativeArchiveTimeoutException(final String message, final int nativeCode)
    {
        super(message, nativeCode, GENERIC);
    }
}
