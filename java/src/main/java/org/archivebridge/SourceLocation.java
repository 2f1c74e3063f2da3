package org.archivebridge;

/**
 * Where a recorded stream comes from, as {@code io.aeron.archive.codecs.SourceLocation}: LOCAL for a publication
 * on the archive's own driver (spied on), REMOTE for one that reaches it over the network.
 */
public enum SourceLocation
{
    LOCAL,
    REMOTE
}
