package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorRefResolver;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's node: its id, its live refs by uid, and the one place where an {@link ActorPath} becomes an
 * {@link ActorRef} ({@link #resolveActorRef}, which message codecs call when they decode refs).
 */
public final class LocalNode implements ActorRefResolver {

    private final String systemName;
    private final long id;
    private final AtomicLong uids = new AtomicLong();
    private final ConcurrentHashMap<Long, ActorRef<?>> live = new ConcurrentHashMap<>();
    private final DeadLetterOffice deadLetters;
    private final RemoteTransport transport;
    private final RemoteLifecycle lifecycle;

    LocalNode(String systemName, long id, DeadLetterOffice deadLetters, RemoteTransport transport,
              RemoteLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.systemName = systemName;
        this.id = id;
        this.deadLetters = deadLetters;
        this.transport = transport;
    }

    /** The node's id. */
    public long id() {
        return id;
    }

    long nextUid() {
        return uids.incrementAndGet();
    }

    ActorPath pathFor(String path, long uid) {
        return new ActorPath(systemName, id, path, uid);
    }

    void register(ActorRef<?> ref) {
        live.put(ref.path().uid(), ref);
    }

    void unregister(ActorRef<?> ref) {
        live.remove(ref.path().uid(), ref);
    }

    /** The live ref of {@code uid}, or null. */
    ActorRef<?> live(long uid) {
        return live.get(uid);
    }

    /** How many refs live: actors, adapters and temporary refs. */
    int liveCount() {
        return live.size();
    }

    void forEachLive(java.util.function.Consumer<ActorRef<?>> action) {
        live.values().forEach(action);
    }

    /** The lifecycle protocol's end on this node (its control messages bypass the actors). */
    RemoteLifecycle lifecycle() {
        return lifecycle;
    }

    RemoteTransport transport() {
        return transport;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ActorRef<T> resolveActorRef(ActorPath path) {
        java.util.Objects.requireNonNull(path, "path");
        if (path.node() != id) {
            return new RemoteActorRef<>(path, transport);
        }
        ActorRef<?> ref = live.get(path.uid());
        if (ref != null && ref.path().equals(path)) {
            return (ActorRef<T>) ref;
        }
        return new DeadActorRef<>(path, deadLetters);
    }
}
