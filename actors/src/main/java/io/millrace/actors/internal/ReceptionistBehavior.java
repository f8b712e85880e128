package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.Receptionist;
import io.millrace.actors.ServiceKey;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The receptionist actor ({@code /system/receptionist}): keeps registrations in a {@link ReceptionistBacking} and
 * subscribers here, and sends a new {@link Receptionist.Listing} to a key's subscribers after every change.
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

    static Behavior<Receptionist.Command> create(ReceptionistBacking backing) {
        Map<ServiceKey<?>, Set<ActorRef<Receptionist.Listing>>> subscribers = new HashMap<>();
        return Behaviors.receiveMessage(command -> {
            switch (command) {
                case Receptionist.Register<?> r -> {
                    if (admit(r.service()) && backing.register(r.key(), r.service())) {
                        notify(subscribers, backing, r.key());
                    }
                    if (r.replyTo() != null) {
                        r.replyTo().tell(new Receptionist.Registered(r.key(), r.service()));
                    }
                }
                case Receptionist.Deregister<?> d -> {
                    if (backing.deregister(d.key(), d.service())) {
                        notify(subscribers, backing, d.key());
                    }
                    if (d.replyTo() != null) {
                        d.replyTo().tell(new Receptionist.Deregistered(d.key(), d.service()));
                    }
                }
                case Receptionist.Find f -> f.replyTo().tell(new Receptionist.Listing(f.key(), backing.find(f.key())));
                case Receptionist.Subscribe s -> {
                    if (admit(s.subscriber())) {
                        subscribers.computeIfAbsent(s.key(), k -> new LinkedHashSet<>()).add(s.subscriber());
                        s.subscriber().tell(new Receptionist.Listing(s.key(), backing.find(s.key())));
                    }
                }
                case Receptionist.Unsubscribe u -> {
                    Set<ActorRef<Receptionist.Listing>> set = subscribers.get(u.key());
                    if (set != null) {
                        set.remove(u.subscriber());
                    }
                }
                case ActorStopped stopped -> {
                    for (ServiceKey<?> key : backing.removeAll(stopped.ref())) {
                        notify(subscribers, backing, key);
                    }
                    subscribers.values().forEach(set -> set.remove(stopped.ref()));
                    subscribers.values().removeIf(Set::isEmpty);
                }
                default -> throw new IllegalArgumentException("unknown receptionist command=" + command);
            }
            return Behaviors.same();
        });
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
                               ReceptionistBacking backing, ServiceKey<?> key) {
        Set<ActorRef<Receptionist.Listing>> set = subscribers.get(key);
        if (set == null || set.isEmpty()) {
            return;
        }
        Receptionist.Listing listing = new Receptionist.Listing(key, backing.find(key));
        for (ActorRef<Receptionist.Listing> subscriber : set) {
            subscriber.tell(listing);
        }
    }
}
