package org.archivebridge;

import io.aeron.security.CredentialsSupplier;
import org.archivebridge.binding.ArchiveBridgeLibrary.EncodedCredentialsCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.FreeCredentialsCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.OnChallengeCallback;
import org.archivebridge.binding.ArchiveBridgeLibrary.abr_archive_credentials_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import java.util.HashMap;
import java.util.Map;

/**
 * An application's {@link CredentialsSupplier} behind the native connect's credentials callbacks. C calls them only
 * on the thread that connects (or polls the asynchronous connect). Nothing thrown may unwind through C, and C must
 * not read a null array: a supplier that throws or returns null makes the callback fail, the connect fails with the
 * native message, and {@link #connectFailure} attaches what the supplier did as the cause. Each byte array is copied
 * to native memory that stays referenced here until C hands it back to the free callback.
 */
final class NativeCredentialsBridge
{
    private final CredentialsSupplier supplier;
    private final Map<Long, BytePointer> handedOut = new HashMap<>();
    private Throwable failure;
    final Encoded encoded = new Encoded();
    final Challenge challenge = new Challenge();
    final Free free = new Free();

    /** Whether JavaCPP's pool of callback thunks had none left for one of the three. */
    boolean isExhausted()
    {
        return encoded.isNull() || challenge.isNull() || free.isNull();
    }

    NativeCredentialsBridge(final CredentialsSupplier supplier)
    {
        this.supplier = supplier;
    }

    /**
     * The exception for a failed connect: the native one, with the supplier's own failure as its cause when the
     * supplier is why.
     */
    RuntimeException connectFailure(final RuntimeException nativeFailure)
    {
        final Throwable cause = failure;
        failure = null;
        if (null != cause && null == nativeFailure.getCause())
        {
            nativeFailure.initCause(cause);
        }
        return nativeFailure;
    }

    void close()
    {
        handedOut.values().forEach(BytePointer::close);
        handedOut.clear();
        encoded.close();
        challenge.close();
        free.close();
    }

    private int handOver(final byte[] bytes, final String method, final abr_archive_credentials_t credentials)
    {
        if (null == bytes)
        {
            failure = new IllegalStateException("CredentialsSupplier." + method + " returned null");
            return -1;
        }
        if (0 == bytes.length)
        {
            credentials.data(null).length(0);
            return 0;
        }
        final BytePointer copy = new BytePointer(bytes);
        handedOut.put(copy.address(), copy);
        credentials.data(copy).length(bytes.length);
        return 0;
    }

    final class Encoded extends EncodedCredentialsCallback
    {
        @Override
        public int call(final Pointer clientd, final abr_archive_credentials_t credentials)
        {
            try
            {
                return handOver(supplier.encodedCredentials(), "encodedCredentials()", credentials);
            }
            catch (final Throwable ex)
            {
                failure = ex;
                return -1;
            }
        }
    }

    final class Challenge extends OnChallengeCallback
    {
        @Override
        public int call(
            final Pointer clientd,
            final BytePointer encodedChallenge,
            final int challengeLength,
            final abr_archive_credentials_t response)
        {
            try
            {
                final byte[] bytes = new byte[challengeLength];
                if (challengeLength > 0)
                {
                    encodedChallenge.capacity(challengeLength).get(bytes);
                }
                return handOver(supplier.onChallenge(bytes), "onChallenge(byte[])", response);
            }
            catch (final Throwable ex)
            {
                failure = ex;
                return -1;
            }
        }
    }

    final class Free extends FreeCredentialsCallback
    {
        @Override
        public void call(final Pointer clientd, final abr_archive_credentials_t credentials)
        {
            final BytePointer data = credentials.data();
            if (null != data && !data.isNull())
            {
                final BytePointer copy = handedOut.remove(data.address());
                if (null != copy)
                {
                    copy.close();
                }
            }
        }
    }
}
