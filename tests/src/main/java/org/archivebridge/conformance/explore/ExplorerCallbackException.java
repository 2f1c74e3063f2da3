package org.archivebridge.conformance.explore;

/** What a generated consumer throws: both clients must let it out of the listing call that delivered it. */
final class ExplorerCallbackException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    ExplorerCallbackException(final String message)
    {
        super(message);
    }
}
