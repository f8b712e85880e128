package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ServiceKey;

import java.util.Set;

/**
 * Where the receptionist keeps registrations: an in-memory map of this node's ({@link LocalReceptionistBacking}) or
 * the host-wide table of every node's ({@link ShmReceptionistBacking}), which also reports changes made by other
 * nodes so that the receptionist can notify its subscribers. Called by the receptionist actor's thread only.
 */
public interface ReceptionistBacking {

    /** @return true if {@code service} was not registered under {@code key} before */
    boolean register(ServiceKey<?> key, ActorRef<?> service);

    /** @return true if {@code service} was registered under {@code key} */
    boolean deregister(ServiceKey<?> key, ActorRef<?> service);

    /** The services registered under {@code key}, possibly empty. */
    Set<ActorRef<?>> find(ServiceKey<?> key);

    /** Removes every registration of {@code service}. @return the keys it was registered under */
    Set<ServiceKey<?>> removeAll(ActorRef<?> service);

    /**
     * Polled by the receptionist on a timer: true when registrations may have changed by other nodes since the last
     * call (the receptionist then sends the listings that changed).
     */
    default boolean changedElsewhere() {
        return false;
    }
}
