package org.archivebridge;

import io.aeron.archive.client.ArchiveException;
import org.bytedeco.javacpp.BytePointer;

import java.nio.charset.StandardCharsets;

import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_ARCHIVE_BASE;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_DRIVER_REJECTED;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_DRIVER_TIMEOUT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_INVALID_ARGUMENT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_MALFORMED_CHANNEL;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_NO_DRIVER;
import static org.archivebridge.binding.ArchiveBridgeLibrary.ABR_ERROR_TIMEOUT;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errcode;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errcorrelation_id;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errdriver_code;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errdriver_message;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_errmsg;
import static org.archivebridge.binding.ArchiveBridgeLibrary.abr_error_code_to_archive;

/**
 * Turns the native thread-local error into a Java exception. It must run on the thread that made the failing call,
 * before that thread makes another native call: the library keeps one error per thread.
 */
final class NativeErrors
{
    private NativeErrors()
    {
    }

    static RuntimeException lastError()
    {
        final int code = abr_errcode();
        final String message = nativeString(abr_errmsg());
        final String text = message.isEmpty() ? "native call failed with abr_error_code_t " + code : message;

        if (ABR_ERROR_INVALID_ARGUMENT == code)
        {
            return new IllegalArgumentException(text);
        }
        if (ABR_ERROR_TIMEOUT == code)
        {
            return new NativeArchiveTimeoutException(text, code, abr_errcorrelation_id());
        }
        if (ABR_ERROR_NO_DRIVER == code || ABR_ERROR_DRIVER_TIMEOUT == code)
        {
            return new NativeDriverTimeoutException(text, code);
        }
        if (ABR_ERROR_DRIVER_REJECTED == code)
        {
            return registrationError(code, text);
        }
        return new NativeArchiveException(text, code, archiveErrorCode(code), abr_errcorrelation_id());
    }

    /* A connect's failure: a control channel that is not a valid URI is the caller's argument, as AeronArchive's
     * Context.conclude() reports it (IllegalArgumentException from ChannelUri.parse), not an archive failure. */
    static RuntimeException lastConnectError()
    {
        final int code = abr_errcode();
        if (ABR_ERROR_MALFORMED_CHANNEL == code)
        {
            return new IllegalArgumentException(nativeString(abr_errmsg()));
        }
        return lastError();
    }

    /* Aeron's message is the driver's; ours names the command after it. When a layer above the core rewrote the
     * error and the driver's parts are gone, the native message stands in for the driver's. */
    private static RuntimeException registrationError(final int code, final String text)
    {
        final int driverCode = abr_errdriver_code();
        final String driverMessage = nativeString(abr_errdriver_message());
        if (driverCode < 0 && driverMessage.isEmpty())
        {
            return new NativeRegistrationException(abr_errcorrelation_id(), driverCode, text, code, "");
        }
        final String suffix = ": " + driverMessage;
        final String details = text.endsWith(suffix) ? text.substring(0, text.length() - suffix.length()) : text;
        return new NativeRegistrationException(abr_errcorrelation_id(), driverCode, driverMessage, code, details);
    }

    static String nativeString(final BytePointer pointer)
    {
        return null == pointer || pointer.isNull() ? "" : pointer.getString(StandardCharsets.UTF_8);
    }

    private static int archiveErrorCode(final int code)
    {
        if (code < ABR_ERROR_ARCHIVE_BASE)
        {
            return ArchiveException.GENERIC;
        }
        final int archiveCode = abr_error_code_to_archive(code);
        return archiveCode < 0 ? ArchiveException.GENERIC : archiveCode;
    }
}
