package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.Behavior;
import io.millrace.actors.Cancellable;
import io.millrace.actors.Joinable;
import io.millrace.actors.Props;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.TypeRegistry;

import java.util.Objects;

/**
 * Joins of joinable children ({@code ActorContext.spawnJoinable}). The child's cell holds a {@link ChildSide}: when
 * it stops normally (not failed, not abandoned), it runs {@code extract} on its state, on its own thread, before its
 * {@code PostStop}, and sends the snapshot to its parent in the {@code DeathNotice} its parent's watch gets. The
 * parent holds a {@link ParentSide} in that watch's entry: {@link Watchers} removes the entry at the first notice,
 * so the merge runs at most once, on the parent's thread. A join that times out marks the child side abandoned
 * (volatile) and stops the child; its later notice finds no entry.
 *
 * <p>In-process the snapshot is handed over as it is; its type is checked with a {@link MessageCodec} at spawn, so
 * that a join works unchanged once the child runs in another JVM ({@link #watchRemote}), where the extract is
 * shipped with the factory and the snapshot is encoded in the child's {@code RemoteLifecycle.Stopped}.
 */
final class Joins {

    /** Only {@code check}s types: plans need no shared registry. */
    private static final MessageCodec CHECKER = new MessageCodec(TypeRegistry.inMemory());

    private Joins() {
    }

    /** @throws io.millrace.actors.codec.UnsupportedMessageException if the snapshot type cannot be encoded */
    static void check(Class<?> snapshotType) {
        CHECKER.check(snapshotType);
    }

    /** Spawns a joinable child of {@code parent} (on the parent's thread, name validated). */
    @SuppressWarnings("unchecked")
    static <U> ActorRef<U> spawn(ActorCell<?> parent, Behavior<U> behavior, String name, Joinable<?, ?, ?> joinable,
                                 Props props) {
        check(joinable.snapshotType());
        ChildSide childSide = new ChildSide(joinable);
        ParentSide parentSide = new ParentSide(joinable, childSide);
        ActorRef<U> ref = parent.runtime().spawn(parent, behavior, name, props, child -> {
            child.joinable(childSide);
            parent.watchers().watchJoinable(child, parentSide);
        });
        startTimer(parent, (ActorRef<Void>) (ActorRef<?>) ref, parentSide);
        return ref;
    }

    /**
     * The parent's side of a joinable child on another node ({@link RemoteChildren}): the child's cell there holds
     * the extract; its {@code Stopped} notice brings the snapshot through the codec.
     */
    static void watchRemote(ActorCell<?> parent, ActorRef<Void> child, Joinable<?, ?, ?> joinable) {
        ParentSide parentSide = new ParentSide(joinable, null);
        parent.watchers().watchRemoteJoinable(child, parentSide);
        startTimer(parent, child, parentSide);
    }

    private static void startTimer(ActorCell<?> parent, ActorRef<Void> child, ParentSide parentSide) {
        if (parentSide.joinable.timeout() != null) {
            parentSide.timer = parent.scheduler().scheduleOnce(parentSide.joinable.timeout(),
                    () -> parent.sendSystem(new SystemMessage.JoinTimedOut(child)));
        }
    }

    /** What the child's cell holds. */
    static final class ChildSide {
        private final Joinable<?, ?, ?> joinable;
        volatile boolean abandoned;

        ChildSide(Joinable<?, ?, ?> joinable) {
            this.joinable = joinable;
        }

        /**
         * @param state the child's {@code Behaviors.stateful} state, or null if its behavior holds none
         * @return the snapshot
         * @throws RuntimeException what extract threw, or {@link IllegalStateException} if there is no state or
         *                          extract returned null or a value that is not of the snapshot type
         */
        @SuppressWarnings("unchecked")
        Object extract(Object state, Object path) {
            if (state == null) {
                throw new IllegalStateException("joinable actor=" + path + " stopped with a behavior that holds"
                        + " no state: a joinable child's behavior must be Behaviors.stateful");
            }
            Object snapshot = ((java.util.function.Function<Object, Object>) joinable.extract()).apply(state);
            if (snapshot == null) {
                throw new IllegalStateException("the extract of joinable actor=" + path + " returned null");
            }
            if (!joinable.snapshotType().isInstance(snapshot)) {
                throw new IllegalStateException("the extract of joinable actor=" + path + " returned class="
                        + snapshot.getClass().getName() + ", not snapshotType="
                        + joinable.snapshotType().getName());
            }
            return snapshot;
        }
    }

    /** What the parent's watch entry holds. */
    static final class ParentSide {
        final Joinable<?, ?, ?> joinable;
        /** Null for a child on another node. */
        final ChildSide child;
        Cancellable timer;

        ParentSide(Joinable<?, ?, ?> joinable, ChildSide child) {
            this.joinable = Objects.requireNonNull(joinable, "joinable");
            this.child = child;
        }

        void cancelTimer() {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }
}
