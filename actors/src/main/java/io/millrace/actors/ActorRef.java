package io.millrace.actors;

/**
 * The address of an actor that accepts messages of type {@code T}: a value that travels inside messages and works
 * from any JVM on the host. In its own JVM a {@link #tell} is an in-process hand-off; from another JVM it is a record
 * written into the mailbox ring of the actor's node.
 *
 * @param <T> the messages the actor accepts
 */
public interface ActorRef<T> {

    /**
     * Sends {@code message} to the actor without waiting for it to be handled. Messages from one sender to one actor
     * arrive in the order sent, across processes too.
     */
    void tell(T message);

    /** Where the actor lives: its system, node, path and incarnation. */
    ActorPath path();

    /** This ref, for a narrower message type (a ref accepting more types also accepts fewer). */
    <U extends T> ActorRef<U> narrow();
}
