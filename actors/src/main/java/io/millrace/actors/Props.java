package io.millrace.actors;

import java.util.Objects;

/**
 * Options of one actor given at spawn: what a {@code tell} does when the actor's lane queue is full, and on which
 * node it runs.
 *
 * @param mailboxFullPolicy the policy, or {@code null} for the system's
 *                          ({@link ActorSystemConfig#mailboxFullPolicy()}; for a tell from another node, the
 *                          sender's); given, it holds for tellers on every node (a wait in whole milliseconds there,
 *                          at most 65,535)
 * @param node              the child node that hosts the actor, or {@code null} (only for spawns from a
 *                          {@link BehaviorFactory}: {@link ActorContext#spawn(BehaviorFactory, String, Props)})
 * @param nodeId            the id of another node of the base directory that hosts the actor (any live node, for
 *                          example {@code ref.path().node()} of one of its actors), or 0; ignored when {@code node}
 *                          is given
 */
public record Props(MailboxFullPolicy mailboxFullPolicy, RemoteNode node, long nodeId) {

    private static final Props EMPTY = new Props(null, null, 0);

    /**
     * Props on this node.
     *
     * @param mailboxFullPolicy the policy, or {@code null} for the system's
     */
    public Props(MailboxFullPolicy mailboxFullPolicy) {
        this(mailboxFullPolicy, null, 0);
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
        return new Props(null, Objects.requireNonNull(node, "node"), 0);
    }

    /**
     * Props that host the actor on the node of id {@code nodeId}, any live node of the base directory (not
     * necessarily one this system started: its death then ends the child as {@link ChildFailed} with a
     * {@link NodeGoneException}, without an exit status).
     *
     * @param nodeId the node's id, not 0
     * @return new props
     * @throws IllegalArgumentException if {@code nodeId} is 0
     */
    public static Props onNode(long nodeId) {
        if (nodeId == 0) {
            throw new IllegalArgumentException("nodeId=0 names no node");
        }
        return new Props(null, null, nodeId);
    }

    /** @return whether the actor is to run on another node */
    public boolean isRemote() {
        return node != null || nodeId != 0;
    }

    /**
     * These props with another full-mailbox policy.
     *
     * @param policy the policy for tells to this actor
     * @return new props
     */
    public Props withMailboxFullPolicy(MailboxFullPolicy policy) {
        return new Props(Objects.requireNonNull(policy, "policy"), node, nodeId);
    }
}
