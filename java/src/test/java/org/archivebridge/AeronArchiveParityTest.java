package org.archivebridge;

import io.aeron.Aeron;
import io.aeron.Counter;
import io.aeron.AvailableImageHandler;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.UnavailableImageHandler;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.PersistentSubscription;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Code written against AeronArchive switches to NativeArchive by changing the handle types only: every public method
 * of AeronArchive, AeronArchive.Context and AeronArchive.AsyncConnect must exist on the NativeArchive side with the
 * same name, the same parameter types and a return type of the same kind, the handle types mapped (Aeron to
 * NativeAeron, Subscription to NativeSubscription, Publication and ExclusivePublication to NativePublication,
 * AeronArchive's nested types to NativeArchive's).
 */
class AeronArchiveParityTest
{
    /* Accessors of the Java client's machinery, which a client over C does not have. */
    private static final Map<String, String> NOT_APPLICABLE = Map.of(
        "AeronArchive.archiveProxy()", "the Java client's request encoder; requests are encoded in C",
        "AeronArchive.controlResponsePoller()", "the Java client's response poller; responses are polled in C",
        "AeronArchive.recordingDescriptorPoller()", "the Java client's listing poller; listings are polled in C",
        "AeronArchive.recordingSubscriptionDescriptorPoller()", "as recordingDescriptorPoller, for subscriptions",
        "AeronArchive.Context.agentInvoker()", "the Java client's conductor invoker; the C core runs its own",
        "AeronArchive.Context.agentInvoker(org.agrona.concurrent.AgentInvoker)", "as agentInvoker()");

    private static final Map<Class<?>, Class<?>> HANDLES = Map.ofEntries(
        Map.entry(AvailableImageHandler.class, NativeAvailableImageHandler.class),
        Map.entry(UnavailableImageHandler.class, NativeUnavailableImageHandler.class),
        Map.entry(Aeron.class, NativeAeron.class),
        Map.entry(Subscription.class, NativeSubscription.class),
        Map.entry(Publication.class, NativePublication.class),
        Map.entry(ExclusivePublication.class, NativePublication.class),
        Map.entry(AeronArchive.class, NativeArchive.class),
        Map.entry(AeronArchive.Context.class, NativeArchive.Context.class),
        Map.entry(AeronArchive.AsyncConnect.class, NativeArchive.AsyncConnect.class),
        Map.entry(AeronArchive.State.class, NativeArchive.State.class),
        Map.entry(AeronArchive.AsyncConnect.State.class, NativeArchive.AsyncConnect.State.class),
        Map.entry(PersistentSubscription.class, NativePersistentSubscription.class),
        Map.entry(PersistentSubscription.Context.class, NativePersistentSubscription.Context.class),
        Map.entry(Counter.class, NativeCounter.class));


    @Test
    void everyPublicMethodOfAeronArchiveHasACounterpart()
    {
        final List<String> missing = new ArrayList<>();
        missing.addAll(missingOn(AeronArchive.class, NativeArchive.class));
        missing.addAll(missingOn(AeronArchive.Context.class, NativeArchive.Context.class));
        missing.addAll(missingOn(AeronArchive.AsyncConnect.class, NativeArchive.AsyncConnect.class));

        final Map<String, String> allowed = new TreeMap<>(NOT_APPLICABLE);
        final List<String> unexplained = missing.stream().filter((m) -> !allowed.containsKey(m)).toList();
        assertEquals(List.of(), unexplained, "public methods of AeronArchive without a NativeArchive counterpart");

        // An allow-list entry that is no longer missing is stale: the lead removes it after the merge.
        final List<String> stale = allowed.keySet().stream().filter((m) -> !missing.contains(m)).toList();
        assertEquals(List.of(), stale, "allow-listed methods that NativeArchive now has");
    }

    @Test
    void everyPublicMethodOfPersistentSubscriptionHasACounterpart() throws ReflectiveOperationException
    {
        final List<String> missing = new ArrayList<>();
        missing.addAll(missingOn(PersistentSubscription.class, NativePersistentSubscription.class));
        missing.addAll(missingOn(PersistentSubscription.Context.class, NativePersistentSubscription.Context.class));
        assertEquals(List.of(), missing.stream().sorted().toList());
        for (final String name : List.of("FROM_START", "FROM_LIVE"))
        {
            assertEquals(PersistentSubscription.class.getField(name).get(null),
                NativePersistentSubscription.class.getField(name).get(null), name);
        }
    }

    @Test
    void theConstantsOfAeronArchiveHaveTheSameValues() throws ReflectiveOperationException
    {
        for (final String name : List.of(
            "NULL_TIMESTAMP", "NULL_POSITION", "NULL_LENGTH", "NOT_CONNECTED_MSG", "REPLAY_ALL_AND_FOLLOW",
            "REPLAY_ALL_AND_STOP"))
        {
            assertEquals(AeronArchive.class.getField(name).get(null), NativeArchive.class.getField(name).get(null),
                name);
        }
    }

    @Test
    void theAsyncConnectStatesAreAeronArchivesInOrder()
    {
        assertEquals(names(AeronArchive.AsyncConnect.State.values()), names(NativeArchive.AsyncConnect.State.values()));
        assertEquals(names(AeronArchive.State.values()), names(NativeArchive.State.values()));
    }

    private static List<String> missingOn(final Class<?> reference, final Class<?> candidate)
    {
        final List<String> missing = new ArrayList<>();
        for (final Method method : reference.getMethods())
        {
            // A bridge method stands for a covariant one that is compared in its own right.
            if (method.isBridge() || Object.class == method.getDeclaringClass() && !"toString".equals(method.getName()))
            {
                continue;
            }
            final Class<?>[] parameters = Arrays.stream(method.getParameterTypes())
                .map(AeronArchiveParityTest::mapped).toArray(Class<?>[]::new);
            try
            {
                final Method counterpart = candidate.getMethod(method.getName(), parameters);
                final boolean sameKind = mapped(method.getReturnType()) == counterpart.getReturnType() &&
                    Modifier.isStatic(method.getModifiers()) == Modifier.isStatic(counterpart.getModifiers());
                if (!sameKind)
                {
                    missing.add(signature(method) + " returns " + counterpart.getReturnType().getName() +
                        " instead of " + mapped(method.getReturnType()).getName());
                }
            }
            catch (final NoSuchMethodException ex)
            {
                missing.add(signature(method));
            }
        }
        return missing;
    }

    private static Class<?> mapped(final Class<?> type)
    {
        return HANDLES.getOrDefault(type, type);
    }

    private static String signature(final Method method)
    {
        final String owner = method.getDeclaringClass().getName()
            .replace("io.aeron.archive.client.", "").replace('$', '.');
        return owner + "." + method.getName() + Arrays.stream(method.getParameterTypes())
            .map(Class::getName).collect(Collectors.joining(",", "(", ")"));
    }

    private static List<String> names(final Enum<?>[] values)
    {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
