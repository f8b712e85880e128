package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The children of one cell, made at its first spawn: local ones by name (spawned on the owner's thread or by
 * {@code systemActorOf}, removed by the child's own thread when it stops, before its {@code PostStop}), those on
 * other nodes ({@link RemoteChildren}, owner thread only), and how many of both have not yet reported their stop
 * ({@code ChildTerminated}, {@code RemoteChildStopped}): the parent finishes its own stop when that reaches zero.
 */
final class Children {

    private final ActorCell<?> owner;
    private final ConcurrentHashMap<String, ActorCell<?>> local = new ConcurrentHashMap<>(4);
    private final AtomicInteger live = new AtomicInteger();
    private RemoteChildren remote;
    private long anonymousCount;

    Children(ActorCell<?> owner) {
        this.owner = owner;
    }

    /** @return false if {@code name} is taken by a live local child */
    boolean add(String name, ActorCell<?> child) {
        if (local.putIfAbsent(name, child) != null) {
            return false;
        }
        live.incrementAndGet();
        return true;
    }

    /** The next number of an anonymous child's name (owner thread). */
    long nextAnonymous() {
        return anonymousCount++;
    }

    /** Counts a child spawned on another node. */
    void addRemote() {
        live.incrementAndGet();
    }

    /** A local child's name is free again (its own thread, as it stops). */
    void remove(String name, ActorCell<?> child) {
        local.remove(name, child);
    }

    /** A child reported its stop. @return how many are left */
    int terminated() {
        return live.decrementAndGet();
    }

    int live() {
        return live.get();
    }

    boolean hasLocal(String name) {
        return local.containsKey(name);
    }

    /** Asks every child to stop. */
    void stopAll() {
        for (ActorCell<?> child : local.values()) {
            child.sendSystem(SystemMessage.Stop.INSTANCE);
        }
        if (remote != null) {
            remote.stopAll();
        }
    }

    /** The children on other nodes, made on first use (owner thread). */
    RemoteChildren remote() {
        if (remote == null) {
            remote = new RemoteChildren(owner);
        }
        return remote;
    }

    /** The owner stopped: its watches of other nodes end (owner thread). */
    void close() {
        if (remote != null) {
            remote.close();
        }
    }

    /** Whether {@code path} is a live child on another node (owner thread). */
    boolean isRemote(ActorPath path) {
        return remote != null && remote.contains(path);
    }

    /** @return whether {@code ref} was a live child on another node (it is not any more) */
    boolean removeRemote(ActorRef<?> ref) {
        return remote != null && remote.remove(ref);
    }

    /** Asks a child on another node to stop. @return false if it is none */
    boolean stopRemote(ActorRef<?> ref) {
        return remote != null && remote.stop(ref);
    }

    /** The live children, local then remote (owner thread). */
    @SuppressWarnings("unchecked")
    List<ActorRef<Void>> refs() {
        List<ActorRef<Void>> refs = new ArrayList<>(local.size());
        for (ActorCell<?> child : local.values()) {
            refs.add((ActorRef<Void>) (ActorRef<?>) child.self());
        }
        if (remote != null) {
            refs.addAll(remote.refs());
        }
        return List.copyOf(refs);
    }

    /** The live child named {@code name} (owner thread). */
    @SuppressWarnings("unchecked")
    Optional<ActorRef<Void>> get(String name) {
        ActorCell<?> child = local.get(name);
        if (child != null) {
            return Optional.of((ActorRef<Void>) (ActorRef<?>) child.self());
        }
        return Optional.ofNullable(remote == null ? null : remote.get(name));
    }
}
