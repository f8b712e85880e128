package io.millrace.actors;

import java.util.Objects;

/**
 * Options of one actor given at spawn: for now, what a {@code tell} does when the actor's lane queue is full.
 *
 * @param mailboxFullPolicy the policy, or {@code null} for the system's
 *                          ({@link ActorSystemConfig#mailboxFullPolicy()})
 */
public record Props(MailboxFullPolicy mailboxFullPolicy) {

    private static final Props EMPTY = new Props(null);

    /** No options: every setting comes from the system's configuration. */
    public static Props empty() {
        return EMPTY;
    }

    /**
     * These props with another full-mailbox policy.
     *
     * @param policy the policy for tells to this actor
     * @return new props
     */
    public Props withMailboxFullPolicy(MailboxFullPolicy policy) {
        return new Props(Objects.requireNonNull(policy, "policy"));
    }
}
