package io.millrace.actors;

import io.millrace.actors.internal.ReceptionistLookup;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Finds actors by {@link ServiceKey}: actors register under a key and others find or subscribe to the key's
 * listing. Commands go to {@link ActorSystem#receptionist()}; replies are {@link Registered}, {@link Deregistered}
 * and {@link Listing} messages. Registrations of an actor end when it stops. Now local to this node; the listing
 * will span the host's nodes.
 */
public final class Receptionist {

    private Receptionist() {
    }

    /** A command for the receptionist, made by the static methods of this class. */
    public interface Command {
    }

    /**
     * Registers {@code service} under {@code key}, with no reply.
     *
     * @param key     the key
     * @param service the actor
     * @param <T>     its messages
     * @return the command
     */
    public static <T> Command register(ServiceKey<T> key, ActorRef<T> service) {
        return new Register<>(key, service, null);
    }

    /**
     * Registers {@code service} under {@code key}; {@code replyTo} gets {@link Registered}.
     *
     * @param key     the key
     * @param service the actor
     * @param replyTo who is told when done
     * @param <T>     its messages
     * @return the command
     */
    public static <T> Command register(ServiceKey<T> key, ActorRef<T> service, ActorRef<Registered> replyTo) {
        return new Register<>(key, service, Objects.requireNonNull(replyTo, "replyTo"));
    }

    /**
     * Removes the registration of {@code service} under {@code key}, with no reply.
     *
     * @param key     the key
     * @param service the actor
     * @param <T>     its messages
     * @return the command
     */
    public static <T> Command deregister(ServiceKey<T> key, ActorRef<T> service) {
        return new Deregister<>(key, service, null);
    }

    /**
     * Removes the registration of {@code service} under {@code key}; {@code replyTo} gets {@link Deregistered}.
     *
     * @param key     the key
     * @param service the actor
     * @param replyTo who is told when done
     * @param <T>     its messages
     * @return the command
     */
    public static <T> Command deregister(ServiceKey<T> key, ActorRef<T> service,
                                         ActorRef<Deregistered> replyTo) {
        return new Deregister<>(key, service, Objects.requireNonNull(replyTo, "replyTo"));
    }

    /**
     * Asks for the current listing of {@code key}; {@code replyTo} gets one {@link Listing}.
     *
     * @param key     the key
     * @param replyTo who gets the listing
     * @return the command
     */
    public static Command find(ServiceKey<?> key, ActorRef<Listing> replyTo) {
        return new Find(key, replyTo);
    }

    /**
     * Subscribes to {@code key}: {@code subscriber} gets the current {@link Listing} and one after every change,
     * until it stops or {@link #unsubscribe unsubscribes}.
     *
     * @param key        the key
     * @param subscriber who gets the listings
     * @return the command
     */
    public static Command subscribe(ServiceKey<?> key, ActorRef<Listing> subscriber) {
        return new Subscribe(key, subscriber);
    }

    /**
     * Ends a subscription made with {@link #subscribe}.
     *
     * @param key        the key
     * @param subscriber the subscriber
     * @return the command
     */
    public static Command unsubscribe(ServiceKey<?> key, ActorRef<Listing> subscriber) {
        return new Unsubscribe(key, subscriber);
    }

    /**
     * Blocks until at least one actor is registered under {@code key}, for programs outside actors (it refuses to
     * run on a dispatcher thread, whose actors it would hold up).
     *
     * @param system  the system whose receptionist to ask
     * @param key     the key
     * @param timeout how long to wait, positive
     * @param <T>     the service's messages
     * @return the registered actors, not empty
     * @throws LookupTimeoutException if none registered in time
     * @throws IllegalStateException  if called on a dispatcher thread or the system is terminated
     */
    public static <T> Set<ActorRef<T>> lookup(ActorSystem<?> system, ServiceKey<T> key, Duration timeout) {
        Objects.requireNonNull(system, "system");
        return ReceptionistLookup.lookup(system, key, timeout);
    }

    /**
     * Register command.
     *
     * @param key     the key
     * @param service the actor
     * @param replyTo null for no reply
     * @param <T>     its messages
     */
    public record Register<T>(ServiceKey<T> key, ActorRef<T> service, ActorRef<Registered> replyTo)
            implements Command {
        public Register {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(service, "service");
        }
    }

    /**
     * Deregister command.
     *
     * @param key     the key
     * @param service the actor
     * @param replyTo null for no reply
     * @param <T>     its messages
     */
    public record Deregister<T>(ServiceKey<T> key, ActorRef<T> service, ActorRef<Deregistered> replyTo)
            implements Command {
        public Deregister {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(service, "service");
        }
    }

    /**
     * Find command.
     *
     * @param key     the key
     * @param replyTo who gets the listing
     */
    public record Find(ServiceKey<?> key, ActorRef<Listing> replyTo) implements Command {
        public Find {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * Subscribe command.
     *
     * @param key        the key
     * @param subscriber who gets the listings
     */
    public record Subscribe(ServiceKey<?> key, ActorRef<Listing> subscriber) implements Command {
        public Subscribe {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(subscriber, "subscriber");
        }
    }

    /**
     * Unsubscribe command.
     *
     * @param key        the key
     * @param subscriber the subscriber
     */
    public record Unsubscribe(ServiceKey<?> key, ActorRef<Listing> subscriber) implements Command {
        public Unsubscribe {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(subscriber, "subscriber");
        }
    }

    /**
     * Reply to a register command.
     *
     * @param key     the key
     * @param service the registered actor
     */
    public record Registered(ServiceKey<?> key, ActorRef<?> service) {
    }

    /**
     * Reply to a deregister command.
     *
     * @param key     the key
     * @param service the deregistered actor
     */
    public record Deregistered(ServiceKey<?> key, ActorRef<?> service) {
    }

    /**
     * The actors registered under a key.
     *
     * @param key       the key
     * @param instances the registered actors (immutable)
     */
    public record Listing(ServiceKey<?> key, Set<ActorRef<?>> instances) {

        public Listing {
            Objects.requireNonNull(key, "key");
            instances = Set.copyOf(instances);
        }

        /** Whether this listing is for {@code other}. */
        public boolean isForKey(ServiceKey<?> other) {
            return key.equals(other);
        }

        /**
         * The registered actors, typed by their key.
         *
         * @param forKey this listing's key
         * @param <T>    the service's messages
         * @return the actors
         * @throws IllegalArgumentException if {@code forKey} is not this listing's key
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        public <T> Set<ActorRef<T>> getServiceInstances(ServiceKey<T> forKey) {
            if (!isForKey(forKey)) {
                throw new IllegalArgumentException("key=" + forKey + " is not this listing's key=" + key);
            }
            return (Set) instances;
        }
    }
}
