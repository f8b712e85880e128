package io.millrace.actors;

import java.util.Objects;

/**
 * A joinable child ({@link ActorContext#spawnJoinable}) stopped normally: {@code snapshot} is what its
 * {@link Joinable#extract} made of its final state; the parent's state has already been merged with it when the
 * {@link Joinable} has a merge. Delivered once per child, instead of {@link Terminated}; may be left unhandled.
 *
 * @param ref      the child
 * @param snapshot the child's snapshot
 */
public record ChildJoined(ActorRef<Void> ref, Object snapshot) implements Signal {

    public ChildJoined {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(snapshot, "snapshot");
    }

    /**
     * The snapshot as {@code type}.
     *
     * @param type the snapshot's class
     * @param <S>  that class
     * @return the snapshot
     * @throws ClassCastException if it is of another class
     */
    public <S> S snapshot(Class<S> type) {
        return type.cast(snapshot);
    }
}
