package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.Receptionist;
import io.millrace.actors.ServiceKey;
import io.millrace.actors.TimerScheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The receptionist actor ({@code /system/receptionist}): keeps registrations in a {@link ReceptionistBacking} and
 * subscribers here, and sends a new {@link Receptionist.Listing} to a key's subscribers after every change: its own
 * at once, other nodes' when a timer ({@link #POLL_INTERVAL}) finds {@link ReceptionistBacking#changedElsewhere}.
 * The timer runs only while some actor is subscribed: an idle node's receptionist wakes no lane.
 *
 * <p>Stopped actors. Before storing a local actor (service or subscriber), it marks the actor's cell, then checks
 * that the actor is alive; a stopping cell sets {@code STOPPED}, then reads the mark and, if set, tells
 * {@link ActorStopped}. Both are volatile, so either the receptionist sees the actor dead (and does not store it)
 * or the actor sees the mark (and its registrations are removed).
 */
final class ReceptionistBehavior {

    private ReceptionistBehavior() {
    }

    /**
     * Told by a stopping actor the receptionist holds.
     *
     * @param ref the actor
     */
    record ActorStopped(ActorRef<?> ref) implements Receptionist.Command {
    }

    /** The timer's message: look whether other nodes changed the registrations. */
    private enum Poll implements Receptionist.Command { INSTANCE }

    /** How often the receptionist looks for changes made by other nodes (one load of the table's generation). */
    static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    static Behavior<Receptionist.Command> create(ReceptionistBacking backing) {
        return Behaviors.withTimers(timers -> receive(backing, timers));
    }

    private static Behavior<Receptionist.Command> receive(ReceptionistBacking backing,
                                                          TimerScheduler<Receptionist.Command> timers) {
        Map<ServiceKey<?>, Set<ActorRef<Receptionist.Listing>>> subscribers = new HashMap<>();
        Map<ServiceKey<?>, Set<ActorRef<?>>> sent = new HashMap<>();
        return Behaviors.receiveMessage(command -> {
            switch (command) {
                case Receptionist.Register<?> r -> {
                    if (admit(r.service()) && backing.register(r.key(), r.service())) {
                        notify(subscribers, sent, r.key(), backing.find(r.key()));
                    }
                    if (r.replyTo() != null) {
                        r.replyTo().tell(new Receptionist.Registered(r.key(), r.service()));
                    }
                }
                case Receptionist.Deregister<?> d -> {
                    if (backing.deregister(d.key(), d.service())) {
                        notify(subscribers, sent, d.key(), backing.find(d.key()));
                    }
                    if (d.replyTo() != null) {
                        d.replyTo().tell(new Receptionist.Deregistered(d.key(), d.service()));
                    }
                }
                case Receptionist.Find f -> f.replyTo().tell(new Receptionist.Listing(f.key(), backing.find(f.key())));
                case Receptionist.Subscribe s -> {
                    if (admit(s.subscriber())) {
                        if (subscribers.isEmpty()) {
                            timers.startTimerWithFixedDelay(Poll.INSTANCE, Poll.INSTANCE, POLL_INTERVAL);
                        }
                        subscribers.computeIfAbsent(s.key(), k -> new LinkedHashSet<>()).add(s.subscriber());
                        Set<ActorRef<?>> now = backing.find(s.key());
                        sent.put(s.key(), now);
                        s.subscriber().tell(new Receptionist.Listing(s.key(), now));
                    }
                }
                case Receptionist.Unsubscribe u -> {
                    Set<ActorRef<Receptionist.Listing>> set = subscribers.get(u.key());
                    if (set != null && set.remove(u.subscriber()) && set.isEmpty()) {
                        subscribers.remove(u.key());
                        sent.remove(u.key());
                    }
                    stopPollingWhenNoneSubscribed(subscribers, timers);
                }
                case ActorStopped stopped -> {
                    for (ServiceKey<?> key : backing.removeAll(stopped.ref())) {
                        notify(subscribers, sent, key, backing.find(key));
                    }
                    subscribers.values().forEach(set -> set.remove(stopped.ref()));
                    subscribers.values().removeIf(Set::isEmpty);
                    sent.keySet().retainAll(subscribers.keySet());
                    stopPollingWhenNoneSubscribed(subscribers, timers);
                }
                case Poll p -> {
                    if (backing.changedElsewhere()) {
                        for (ServiceKey<?> key : subscribers.keySet()) {
                            Set<ActorRef<?>> now = backing.find(key);
                            if (!now.equals(sent.get(key))) {
                                notify(subscribers, sent, key, now);
                            }
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown receptionist command=" + command);
            }
            return Behaviors.same();
        });
    }

    private static void stopPollingWhenNoneSubscribed(Map<ServiceKey<?>, ?> subscribers,
                                                      TimerScheduler<Receptionist.Command> timers) {
        if (subscribers.isEmpty()) {
            timers.cancel(Poll.INSTANCE);
        }
    }

    /** Marks a local actor so that its stop is reported. @return false if it is no longer alive */
    private static boolean admit(ActorRef<?> ref) {
        if (ref instanceof LocalActorRef<?> local) {
            local.cell.markKnownToReceptionist();
            return local.cell.isAlive();
        }
        return true;
    }

    private static void notify(Map<ServiceKey<?>, Set<ActorRef<Receptionist.Listing>>> subscribers,
                               Map<ServiceKey<?>, Set<ActorRef<?>>> sent, ServiceKey<?> key, Set<ActorRef<?>> now) {
        Set<ActorRef<Receptionist.Listing>> set = subscribers.get(key);
        if (set == null || set.isEmpty()) {
            return;
        }
        sent.put(key, now);
        Receptionist.Listing listing = new Receptionist.Listing(key, now);
        for (ActorRef<Receptionist.Listing> subscriber : set) {
            subscriber.tell(listing);
        }
    }
}
