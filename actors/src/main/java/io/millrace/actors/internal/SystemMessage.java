package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;

/**
 * Lifecycle messages between cells. They travel in each lane's unbounded system queue, ahead of user messages,
 * so that a full lane can never lose a stop.
 */
sealed interface SystemMessage {

    /** Start the actor (run its setup) now rather than at its first message. */
    enum Start implements SystemMessage { INSTANCE }

    /** Stop the actor: its children first, then {@code PostStop}. */
    enum Stop implements SystemMessage { INSTANCE }

    /**
     * A child has stopped (after its {@code PostStop}).
     *
     * @param child the child
     */
    record ChildTerminated(ActorCell<?> child) implements SystemMessage {
    }

    /**
     * A supervisor's restart is due (its back-off elapsed); ignored unless {@code generation} is the pending one.
     *
     * @param generation which suspension of the actor
     */
    record Restart(long generation) implements SystemMessage {
    }

    /**
     * A watched actor stopped ({@link Watchers}).
     *
     * @param ref      the watched actor
     * @param cause    why it failed, or null if it stopped normally
     * @param snapshot a joinable child's snapshot for its parent, or null
     */
    record DeathNotice(ActorRef<Void> ref, Throwable cause, Object snapshot) implements SystemMessage {
    }

    /**
     * A child on another node stopped ({@link RemoteLifecycle.Stopped}), or its node's process exited.
     *
     * @param ref      the child
     * @param cause    why it failed, or null if it stopped normally
     * @param snapshot its join's snapshot, or null
     */
    record RemoteChildStopped(ActorRef<Void> ref, Throwable cause, Object snapshot) implements SystemMessage {
    }

    /**
     * The process of node {@code node}, on which this actor has children, exited ({@link RemoteChildren}).
     *
     * @param node the node's id
     * @param why  what happened, naming the node, its pid and exit status
     */
    record RemoteNodeExited(long node, String why) implements SystemMessage {
    }

    /**
     * A joinable child's join timed out.
     *
     * @param child the child
     */
    record JoinTimedOut(ActorRef<Void> child) implements SystemMessage {
    }
}
