package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.Behavior;
import io.millrace.actors.BehaviorFactory;
import io.millrace.actors.Behaviors;
import io.millrace.actors.ServiceKey;
import io.millrace.actors.remote.Shipping;

import java.util.Set;

/**
 * The guardian of a node started by {@code spawnNode}: spawns actors from shipped {@link BehaviorFactory}s (read
 * through {@link Shipping}'s filter) and terminates its system when told. Registered under {@link #key} of the
 * node's name and parent, by which the parent finds it.
 */
public final class NodeSpawner {

    private NodeSpawner() {
    }

    /** What the spawner takes. */
    public sealed interface Command permits Spawn, Shutdown {
    }

    /**
     * Spawns a child of the guardian.
     *
     * @param factory the shipped {@link BehaviorFactory}
     * @param name    the child's name
     * @param replyTo gets the outcome
     */
    public record Spawn(byte[] factory, String name, ActorRef<Spawned> replyTo) implements Command {
    }

    /** Terminates the node's system. */
    public record Shutdown() implements Command {
    }

    /**
     * The outcome of a {@link Spawn}.
     *
     * @param ref   the new actor, or null when it failed
     * @param error why it failed, or null
     */
    public record Spawned(ActorRef<Object> ref, String error) {
    }

    /** The key of the spawner of node {@code name} started by node {@code parent}. */
    public static ServiceKey<Command> key(long parent, String name) {
        return ServiceKey.create(Command.class, "millrace.node/" + Long.toHexString(parent) + "/" + name);
    }

    /** The spawner's behavior. */
    public static Behavior<Command> behavior() {
        return Behaviors.receive((ctx, command) -> {
            switch (command) {
                case Spawn s -> {
                    Spawned reply;
                    try {
                        Object factory = Shipping.unship(s.factory(), NodeSpawner.class.getClassLoader(), Set.of());
                        @SuppressWarnings("unchecked")
                        Behavior<Object> behavior = ((BehaviorFactory<Object>) factory).create();
                        reply = new Spawned(ctx.spawn(behavior, s.name()), null);
                    } catch (RuntimeException e) {
                        reply = new Spawned(null, "spawn of name=" + s.name() + " failed: " + e.getMessage());
                    }
                    s.replyTo().tell(reply);
                }
                case Shutdown x -> ctx.getSystem().terminate();
            }
            return Behaviors.same();
        });
    }
}
