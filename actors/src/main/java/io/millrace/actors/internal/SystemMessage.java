package io.millrace.actors.internal;

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
}
