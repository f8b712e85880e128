package io.millrace.actors;

import java.util.Objects;

/**
 * Options of one actor given at spawn: what a {@code tell} does when the actor's lane queue is full, and on which
 * node it runs.
 *
 * @param mailboxFullPolicy the policy, or {@code null} for the system's
 *                          ({@link ActorSystemConfig#mailboxFullPolicy()}); on another node, that node's
 * @param node              the child node that hosts the actor, or {@code null} for this one (only for spawns
 *                          from a {@link BehaviorFactory}: {@link ActorContext#spawn(BehaviorFactory, String, Props)})
 */
public record Props(MailboxFullPolicy mailboxFullPolicy, RemoteNode node) {

    private static final Props EMPTY = new Props(null, null);

    /**
     * Props on this node.
     *
     * @param mailboxFullPolicy the policy, or {@code null} for the system's
     */
    public Props(MailboxFullPolicy mailboxFullPolicy) {
        this(mailboxFullPolicy, null);
    }

    /** No options: every setting comes from the system's configuration. */
    public static Props empty() {
        return EMPTY;
    }

    /**
     * Props that host the actor on {@code node}, a child JVM this system started ({@link ActorSystem#spawnNode}).
     *
     * @param node the node
     * @return new props
     */
    public static Props onNode(RemoteNode node) {
        return new Props(null, Objects.requireNonNull(node, "node"));
    }

    /**
     * These props with another full-mailbox policy.
     *
     * @param policy the policy for tells to this actor
     * @return new props
     */
    public Props withMailboxFullPolicy(MailboxFullPolicy policy) {
        return new Props(Objects.requireNonNull(policy, "policy"), node);
    }
}
