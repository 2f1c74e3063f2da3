package org.archivebridge;

import io.aeron.archive.client.ReplayParams;
import io.aeron.archive.client.ReplicationParams;
import io.aeron.archive.codecs.SourceLocation;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_params_t;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replication_params_t;
import org.bytedeco.javacpp.BytePointer;

import java.nio.charset.StandardCharsets;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_SOURCE_LOCATION_LOCAL;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ARCHIVE_SOURCE_LOCATION_REMOTE;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replay_params_init;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_replication_params_init;

/**
 * The Java values of {@link NativeArchive}'s requests written as the C structs and constants the native calls read.
 * Package-private methods so NativeStructRoundTripTest can read back in C what they write.
 */
final class ArchiveParamsConversion
{
    private ArchiveParamsConversion()
    {
    }

    static int sourceLocation(final SourceLocation sourceLocation)
    {
        return SourceLocation.LOCAL == sourceLocation ?
            ABR_ARCHIVE_SOURCE_LOCATION_LOCAL : ABR_ARCHIVE_SOURCE_LOCATION_REMOTE;
    }

    /* The caller closes the struct; it owns no other native memory. */
    static abr_archive_replay_params_t replayParams(final ReplayParams replayParams)
    {
        final ReplayParams params = null == replayParams ? new ReplayParams() : replayParams;
        final abr_archive_replay_params_t nativeParams = new abr_archive_replay_params_t();
        NativeAeron.check(abr_archive_replay_params_init(nativeParams));
        return nativeParams
            ._position(params.position()) // JavaCPP renames the field: position(long) is Pointer's own and moves it.
            .length(params.length())
            .bounding_limit_counter_id(params.boundingLimitCounterId())
            .file_io_max_length(params.fileIoMaxLength())
            .replay_token(params.replayToken())
            .subscription_registration_id(params.subscriptionRegistrationId());
    }

    /* Its strings and credentials are freed with the caller's PointerScope. */
    static abr_archive_replication_params_t replicationParams(final ReplicationParams params)
    {
        final abr_archive_replication_params_t nativeParams = new abr_archive_replication_params_t();
        NativeAeron.check(abr_archive_replication_params_init(nativeParams));
        nativeParams
            .stop_position(params.stopPosition())
            .dst_recording_id(params.dstRecordingId())
            .channel_tag_id(params.channelTagId())
            .subscription_tag_id(params.subscriptionTagId())
            .file_io_max_length(params.fileIoMaxLength())
            .replication_session_id(params.replicationSessionId())
            .live_destination(utf8OrNull(params.liveDestination()))
            .replication_channel(utf8OrNull(params.replicationChannel()))
            .src_response_channel(utf8OrNull(params.srcResponseChannel()));
        final byte[] credentials = params.encodedCredentials();
        if (null != credentials && credentials.length > 0)
        {
            nativeParams
                .encoded_credentials(new BytePointer(credentials))
                .encoded_credentials_length(credentials.length);
        }
        return nativeParams;
    }

    private static BytePointer utf8OrNull(final String value)
    {
        return null == value ? null : new BytePointer(value, StandardCharsets.UTF_8);
    }
}
