package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;

/**
 * Watches actors of other nodes for {@link Watchers}: the seam where node liveness (the pidfd-based
 * {@code io.millrace.actors.remote.ProcessWatch}) plugs in. An implementation calls
 * {@link Watchers#remoteTerminated} for each watcher once the target's node has gone (or the target stopped), at
 * most once per {@link #watch}; calls after an {@link #unwatch} are ignored by the watcher anyway.
 *
 * <p>The default, {@link #NONE}, never fires: with no transport there is no way to learn that an actor of another
 * node stopped, so a watcher of such a ref waits (its {@code unwatch} and its own stop release the entry).
 */
public interface RemoteWatch {

    /** Watches nothing: a {@code Terminated} for a ref of another node never comes. */
    RemoteWatch NONE = new RemoteWatch() {
        @Override
        public void watch(ActorPath target, ActorCell<?> watcher) {
        }

        @Override
        public void unwatch(ActorPath target, ActorCell<?> watcher) {
        }
    };

    /**
     * {@code watcher} (of this node) watches {@code target} (of another node).
     *
     * @param target  the watched actor's path
     * @param watcher the watching actor
     */
    void watch(ActorPath target, ActorCell<?> watcher);

    /**
     * {@code watcher} no longer watches {@code target} (it unwatched it, or stopped).
     *
     * @param target  the watched actor's path
     * @param watcher the watching actor
     */
    void unwatch(ActorPath target, ActorCell<?> watcher);
}
