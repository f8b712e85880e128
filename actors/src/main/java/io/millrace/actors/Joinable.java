package io.millrace.actors;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How a joinable child's final state comes back to its parent ({@link ActorContext#spawnJoinable}). The child's
 * behavior holds its state ({@link Behaviors#stateful}); when the child stops normally, {@code extract} turns that
 * state into a snapshot on the child's thread; then, on the parent's thread and exactly once, {@code merge} (if
 * given) replaces the parent's {@link Behaviors#stateful} state with {@code merge(state, snapshot)} and the parent
 * gets {@link ChildJoined}. A child that fails (or whose join times out) has no snapshot: the parent gets
 * {@link ChildFailed} and nothing is merged.
 *
 * <p>The snapshot is handed over directly within a JVM; its type must be one the
 * {@link io.millrace.actors.codec.MessageCodec} can carry (checked at spawn), so that the same code works when
 * the child runs in another process.
 *
 * @param snapshotType the snapshot's class, checked with the codec at spawn
 * @param extract      the child's final state to the snapshot; must not return null
 * @param merge        the parent's state and the snapshot to the parent's new state, or null to only signal
 *                     {@link ChildJoined}
 * @param timeout      how long from spawn the parent waits for the child to stop, or null for no limit
 * @param <C>          the child's state
 * @param <S>          the snapshot
 * @param <P>          the parent's state
 */
public record Joinable<C, S, P>(Class<S> snapshotType, Function<C, S> extract, BiFunction<P, S, P> merge,
                                Duration timeout) {

    public Joinable {
        Objects.requireNonNull(snapshotType, "snapshotType");
        Objects.requireNonNull(extract, "extract");
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new IllegalArgumentException("timeout=" + timeout + " must be positive");
        }
    }

    /**
     * A join whose snapshot is merged into the parent's {@link Behaviors#stateful} state.
     *
     * @param snapshotType the snapshot's class
     * @param extract      child state to snapshot
     * @param merge        (parent state, snapshot) to parent state
     * @param <C>          the child's state
     * @param <S>          the snapshot
     * @param <P>          the parent's state
     * @return the join
     */
    public static <C, S, P> Joinable<C, S, P> of(Class<S> snapshotType, Function<C, S> extract,
                                                 BiFunction<P, S, P> merge) {
        return new Joinable<>(snapshotType, extract, Objects.requireNonNull(merge, "merge"), null);
    }

    /**
     * An extract that can be shipped to a child node ({@link ActorContext#spawnJoinable(BehaviorFactory, String,
     * Joinable, Props)}): a lambda given to {@link #of} is one.
     *
     * @param <C> the child's state
     * @param <S> the snapshot
     */
    @FunctionalInterface
    public interface Extract<C, S> extends Function<C, S>, java.io.Serializable {
    }

    /**
     * A join whose snapshot is merged into the parent's state, with an extract that can run on another node.
     *
     * @param snapshotType the snapshot's class
     * @param extract      child state to snapshot (serializable)
     * @param merge        (parent state, snapshot) to parent state
     * @param <C>          the child's state
     * @param <S>          the snapshot
     * @param <P>          the parent's state
     * @return the join
     */
    public static <C, S, P> Joinable<C, S, P> of(Class<S> snapshotType, Extract<C, S> extract,
                                                 BiFunction<P, S, P> merge) {
        return new Joinable<>(snapshotType, extract, Objects.requireNonNull(merge, "merge"), null);
    }

    /**
     * A join whose snapshot only comes to the parent in {@link ChildJoined}, with an extract that can run on
     * another node.
     *
     * @param snapshotType the snapshot's class
     * @param extract      child state to snapshot (serializable)
     * @param <C>          the child's state
     * @param <S>          the snapshot
     * @return the join
     */
    public static <C, S> Joinable<C, S, Object> of(Class<S> snapshotType, Extract<C, S> extract) {
        return new Joinable<>(snapshotType, extract, null, null);
    }

    /**
     * A join whose snapshot only comes to the parent in {@link ChildJoined}.
     *
     * @param snapshotType the snapshot's class
     * @param extract      child state to snapshot
     * @param <C>          the child's state
     * @param <S>          the snapshot
     * @return the join
     */
    public static <C, S> Joinable<C, S, Object> of(Class<S> snapshotType, Function<C, S> extract) {
        return new Joinable<>(snapshotType, extract, null, null);
    }

    /**
     * This join with a time limit: a child not stopped {@code limit} after its spawn is stopped, and the parent
     * gets {@link ChildFailed} with a {@link JoinTimeoutException} at once (the child's name is free only once it
     * has stopped).
     *
     * @param limit positive
     * @return the join
     */
    public Joinable<C, S, P> withTimeout(Duration limit) {
        return new Joinable<>(snapshotType, extract, merge, Objects.requireNonNull(limit, "limit"));
    }
}
