package org.archivebridge;

import io.aeron.archive.client.ArchiveException;

/**
 * A failure reported by the native archive client, as the {@link ArchiveException} AeronArchive throws in the same
 * case: the same {@link #errorCode()} and {@link #correlationId()}, and a message that begins as AeronArchive's
 * (for an archive's error response, {@code response for correlationId=..., error: ...}) followed by the native
 * details: the control session and the channels involved.
 */
public class NativeArchiveException extends ArchiveException implements NativeFailure
{
    private static final long serialVersionUID = 1L;

    private final int nativeCode;

    /**
     * @param message    the native message.
     * @param nativeCode the abr_error_code_t value.
     * @param errorCode  the archive's error code, as {@code ArchiveException.errorCode()} would report it.
     */
    public NativeArchiveException(final String message, final int nativeCode, final int errorCode)
    {
        this(message, nativeCode, errorCode, NULL_CORRELATION_ID);
    }

    /**
     * @param message       the native message.
     * @param nativeCode    the abr_error_code_t value.
     * @param errorCode     the archive's error code, as {@code ArchiveException.errorCode()} would report it.
     * @param correlationId of the request the archive answered, or -1 when the failure was not tied to one.
     */
    public NativeArchiveException(
        final String message, final int nativeCode, final int errorCode, final long correlationId)
    {
        super(message, errorCode, correlationId);
        this.nativeCode = nativeCode;
    }

    /**
     * The native library's own code (abr_error_code_t), which tells apart the failures that
     * {@link #errorCode()} folds into {@link #GENERIC}: no driver, version mismatch, protocol errors.
     *
     * @return the abr_error_code_t value.
     */
    public int nativeCode()
    {
        return nativeCode;
    }

    private static final long NULL_CORRELATION_ID = -1;
}
