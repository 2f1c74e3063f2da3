package org.archivebridge.conformance.client;

/** Where a recorded stream comes from, as both clients' startRecording take it. */
public enum RecordingSource
{
    LOCAL,
    REMOTE
}
