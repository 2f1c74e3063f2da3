package org.archivebridge.conformance.client;

/**
 * A client that can be made to go away the wrong way: release its transport without sending
 * CloseSessionRequest. Only the negative controls use it, to prove the close check can fail.
 */
public interface FaultyClose extends ArchiveClient
{
    /** Release the client's publication and subscription without sending CloseSessionRequest. */
    void releaseWithoutClosingSession();
}
