package org.archivebridge.conformance.client;

import io.aeron.archive.client.PersistentSubscriptionException;
import io.aeron.archive.client.PersistentSubscriptionListener;

import java.util.ArrayList;
import java.util.List;

/**
 * The listener both clients' persistent subscriptions are given: it writes down each call in words a transcript can
 * compare, the error's type, reason and message included.
 */
final class PersistentSubscriptionCalls implements PersistentSubscriptionListener
{
    private final List<String> calls = new ArrayList<>();

    public void onLiveJoined()
    {
        calls.add("onLiveJoined");
    }

    public void onLiveLeft()
    {
        calls.add("onLiveLeft");
    }

    public void onError(final Exception e)
    {
        calls.add("onError " + describe(e));
    }

    List<String> calls()
    {
        return List.copyOf(calls);
    }

    static String describe(final Exception e)
    {
        if (null == e)
        {
            return "none";
        }
        final String reason = e instanceof PersistentSubscriptionException failure ? " " + failure.reason() : "";
        return aeronTypeName(e.getClass()) + reason + ": " + e.getMessage();
    }

    /* Ours are Aeron's exceptions under a name of their own (NativeArchiveTimeoutException is a TimeoutException):
     * the type compared is the first one that is not archive-bridge's. */
    private static String aeronTypeName(final Class<?> type)
    {
        Class<?> named = type;
        while (named.getName().startsWith("org.archivebridge.") && null != named.getSuperclass())
        {
            named = named.getSuperclass();
        }
        return named.getSimpleName();
    }
}
