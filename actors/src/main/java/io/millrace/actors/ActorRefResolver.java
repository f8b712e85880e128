package io.millrace.actors;

/**
 * Turns an {@link ActorPath} (the wire form of a ref) back into an {@link ActorRef}
 * ({@link ActorSystem#refResolver()}); message codecs use it when they decode refs.
 */
public interface ActorRefResolver {

    /**
     * The ref for {@code path}: the live actor if it is on this node and that incarnation lives, a ref whose
     * messages are dead letters if it does not, or a ref through the transport if it is on another node.
     *
     * @param path the path, as {@link ActorRef#path()} gave it
     * @param <T>  the messages the caller expects the actor to accept (not checked)
     * @return the ref, never null
     */
    <T> ActorRef<T> resolveActorRef(ActorPath path);
}
