package org.archivebridge;

/**
 * A failure reported by the native archive client. The message is the native one, whole: it names the control
 * session, the correlation id and the channels involved.
 */
public class NativeArchiveException extends RuntimeException
{
    /** ArchiveException.GENERIC: the code for failures that carry no archive error code of their own. */
    public static final int GENERIC = 0;

    private static final long serialVersionUID = 1L;

    private final int nativeCode;
    private final int errorCode;

    /**
     * @param message    the native message.
     * @param nativeCode the abr_error_code_t value.
     * @param errorCode  the archive's error code, as {@code ArchiveException.errorCode()} would report it.
     */
    public NativeArchiveException(final String message, final int nativeCode, final int errorCode)
    {
        super(message);
        this.nativeCode = nativeCode;
        this.errorCode = errorCode;
    }

    /**
     * The code {@code ArchiveException.errorCode()} reports for the same failure: the archive's own error code
     * when the archive answered with an error, else {@link #GENERIC}.
     *
     * @return the archive error code.
     */
    public int errorCode()
    {
        return errorCode;
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
}
