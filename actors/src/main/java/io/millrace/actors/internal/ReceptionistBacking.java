package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ServiceKey;

import java.util.Set;

/**
 * Where the receptionist keeps registrations: the seam for a host-wide listing. Now an in-memory map
 * ({@link LocalReceptionistBacking}); a shared-memory table in the base directory will let every node's
 * receptionist see every node's services (it will then also have to report changes made by other nodes, so that
 * the receptionist can notify its subscribers). Called by the receptionist actor's thread only.
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
}
