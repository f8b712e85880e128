package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.LookupTimeoutException;
import io.millrace.actors.Receptionist;
import io.millrace.actors.ServiceKey;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The blocking {@link Receptionist#lookup}: subscribes a temporary ref and waits for a non-empty listing. */
public final class ReceptionistLookup {

    private ReceptionistLookup() {
    }

    public static <T> Set<ActorRef<T>> lookup(ActorSystem<?> system, ServiceKey<T> key, Duration timeout) {
        Objects.requireNonNull(key, "key");
        long nanos = SystemScheduler.nanos("timeout", timeout, false);
        SystemRuntime runtime = ((SystemScheduler) system.scheduler()).runtime();
        if (runtime.isLaneThread(Thread.currentThread())) {
            throw new IllegalStateException("Receptionist.lookup called on thread="
                    + Thread.currentThread().getName() + ", a dispatcher thread: inside an actor use "
                    + "Receptionist.find or subscribe");
        }
        if (runtime.isTerminating()) {
            throw runtime.terminatedException("look up key=" + key.id());
        }
        CompletableFuture<Set<ActorRef<T>>> found = new CompletableFuture<>();
        TempRef<Receptionist.Listing> subscriber = runtime.tempRef("lookup", listing -> {
            if (!listing.instances().isEmpty()) {
                found.complete(listing.getServiceInstances(key));
            }
        }, () -> found.completeExceptionally(runtime.terminatedException("look up key=" + key.id())));
        runtime.receptionist().tell(Receptionist.subscribe(key, subscriber));
        try {
            return found.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new LookupTimeoutException("no actor registered under key=" + key.id() + " (messages of class="
                    + key.messageClass().getName() + ") within timeout=" + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up key=" + key.id(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            runtime.receptionist().tell(Receptionist.unsubscribe(key, subscriber));
            subscriber.close();
        }
    }
}
