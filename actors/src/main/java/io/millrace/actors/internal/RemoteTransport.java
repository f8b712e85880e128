package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;

/**
 * Carries messages to actors of other nodes (the seam for the shared-memory transport: a mailbox ring per node).
 * {@link LocalNode#resolveActorRef} hands refs whose node is not this one to a {@link RemoteActorRef} that sends
 * through this. Implementations never block without bound and turn what they cannot deliver into dead letters.
 */
public interface RemoteTransport {

    /**
     * Sends {@code message} to the actor at {@code recipient} on another node.
     *
     * @param recipient the actor's path; its node is not this one
     * @param message   the message
     */
    void send(ActorPath recipient, Object message);

    /** Called once the node has terminated. */
    void close();
}
