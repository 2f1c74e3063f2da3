package org.archivebridge.conformance.client;

import io.aeron.archive.client.ArchiveException;
import io.aeron.security.CredentialsSupplier;
import org.archivebridge.NativeArchive;
import org.archivebridge.NativeArchiveException;
import org.archivebridge.binding.ArchiveBridgeLibrary;
import org.archivebridge.conformance.TestSupport;
import org.archivebridge.conformance.scenario.ScenarioEnvironment;
import org.archivebridge.conformance.server.ArchiveServerAuthenticator;
import org.archivebridge.conformance.server.StreamPublisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the catalogue cannot compare with AeronArchive, which lets a supplier's exception (or a null's
 * NullPointerException) escape its connect: NativeArchive's credentials supplier crosses JNI, and whatever the
 * supplier does must come back as a clean exception, never a crashed JVM or a session left on the archive. Also the
 * rejection's "where" fields. Against the real Archive the conformance suite starts, with its authenticator.
 */
class NativeArchiveCredentialsTest
{
    private static ScenarioEnvironment environment;

    @BeforeAll
    static void startServer() throws Exception
    {
        environment = ScenarioEnvironment.start(TestSupport.logDir());
    }

    @AfterAll
    static void stopServer()
    {
        if (environment != null)
        {
            environment.close();
        }
    }

    private static NativeArchive.Context context(final CredentialsSupplier credentials)
    {
        return TestSupport.nativeContext(environment.udpSettings()).credentialsSupplier(credentials);
    }

    private static CredentialsSupplier supplier(final byte[] encoded, final java.util.function.UnaryOperator<byte[]> answer)
    {
        return new CredentialsSupplier()
        {
            public byte[] encodedCredentials()
            {
                return encoded;
            }

            public byte[] onChallenge(final byte[] encodedChallenge)
            {
                return answer.apply(encodedChallenge);
            }
        };
    }

    private static byte[] ascii(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static void assertSessionsSettle(final long before)
    {
        assertTrue(StreamPublisher.await(() -> environment.observer().controlSessionCount() == before),
            "no control session left on the archive: " + environment.observer().controlSessionCount());
    }

    @Test
    void supplierThatThrowsFailsTheConnectWithItsExceptionAsCause()
    {
        final IllegalStateException thrown = new IllegalStateException("vault unavailable");
        final CredentialsSupplier throwing = new CredentialsSupplier()
        {
            public byte[] encodedCredentials()
            {
                throw thrown;
            }

            public byte[] onChallenge(final byte[] encodedChallenge)
            {
                throw thrown;
            }
        };
        final long before = environment.observer().controlSessionCount();

        final NativeArchiveException ex =
            assertThrows(NativeArchiveException.class, () -> NativeArchive.connect(context(throwing)));

        assertSame(thrown, ex.getCause());
        assertTrue(ex.getMessage().contains("credentials supplier"), ex.getMessage());
        assertEquals(ArchiveBridgeLibrary.ABR_ERROR_ILLEGAL_STATE, ex.nativeCode());
        assertSessionsSettle(before);
    }

    @Test
    void supplierReturningNullFailsTheConnectNamingTheMethod()
    {
        final NativeArchiveException ex = assertThrows(NativeArchiveException.class,
            () -> NativeArchive.connect(context(supplier(null, (challenge) -> challenge))));

        assertInstanceOf(IllegalStateException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("encodedCredentials() returned null"), ex.getCause().getMessage());
    }

    @Test
    void challengeAnswerThatThrowsOrIsNullFailsTheAsyncConnectAfterTheArchiveChallenged()
    {
        final long before = environment.observer().controlSessionCount();
        final RuntimeException thrown = new UnsupportedOperationException("no answer");
        for (final CredentialsSupplier supplier : new CredentialsSupplier[] {
            supplier(ascii(ArchiveServerAuthenticator.CHALLENGE), (challenge) -> { throw thrown; }),
            supplier(ascii(ArchiveServerAuthenticator.CHALLENGE), (challenge) -> null) })
        {
            final NativeArchiveException ex = assertThrows(NativeArchiveException.class, () ->
            {
                try (NativeArchive.AsyncConnect async = NativeArchive.asyncConnect(context(supplier)))
                {
                    while (null == async.poll())
                    {
                        Thread.yield();
                    }
                }
            });
            assertTrue(ex.getMessage().contains("on_challenge failed"), ex.getMessage());
            assertTrue(ex.getCause() == thrown || ex.getCause().getMessage().contains("onChallenge(byte[]) returned null"),
                String.valueOf(ex.getCause()));
        }
        assertSessionsSettle(before);
    }

    @Test
    void rejectionCarriesTheArchiveCodeAndSaysWhere()
    {
        final NativeArchiveException ex = assertThrows(NativeArchiveException.class, () -> NativeArchive.connect(
            context(supplier(ascii(ArchiveServerAuthenticator.REJECT), (challenge) -> challenge))));

        assertEquals(ArchiveException.AUTHENTICATION_REJECTED, ex.errorCode());
        assertEquals(ArchiveBridgeLibrary.ABR_ERROR_ARCHIVE_AUTHENTICATION_REJECTED, ex.nativeCode());
        for (final String where : new String[] {
            "authentication rejected", "controlSessionId=", "correlationId=", "responseChannel=", "responseStreamId=" })
        {
            assertTrue(ex.getMessage().contains(where), where + " in " + ex.getMessage());
        }
    }
}
