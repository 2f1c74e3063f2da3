package org.archivebridge.conformance.client;

import io.aeron.archive.client.ArchiveException;

/**
 * A client call that failed, sorted into what the caller can rely on. The two clients throw different exception
 * types with different messages; the category (and for archive errors the archive's own error code) is what must
 * be the same.
 */
public final class ClientFailure extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public enum Category
    {
        /** The Archive answered with an error; {@link #archiveCode()} says which. */
        ARCHIVE_ERROR,
        /** No answer within the message timeout. */
        TIMEOUT,
        /** No live media driver at the aeron directory. */
        NO_DRIVER,
        /** A call on a client that is already closed. */
        CLOSED,
        /** Anything else: always a difference worth reading. */
        OTHER
    }

    private final Category category;
    private final int archiveCode;

    ClientFailure(final Category category, final int archiveCode, final Throwable cause)
    {
        super(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        this.category = category;
        this.archiveCode = archiveCode;
    }

    static ClientFailure archiveError(final int archiveCode, final Throwable cause)
    {
        return new ClientFailure(Category.ARCHIVE_ERROR, archiveCode, cause);
    }

    static ClientFailure of(final Category category, final Throwable cause)
    {
        return new ClientFailure(category, -1, cause);
    }

    public Category category()
    {
        return category;
    }

    public int archiveCode()
    {
        return archiveCode;
    }

    /** The comparable form, e.g. {@code ERROR(code=UNKNOWN_RECORDING)}, {@code TIMEOUT}, {@code OTHER}. */
    public String label()
    {
        return switch (category)
        {
            case ARCHIVE_ERROR -> "ERROR(code=" + ArchiveException.errorCodeAsString(archiveCode) + ")";
            default -> category.name();
        };
    }
}
