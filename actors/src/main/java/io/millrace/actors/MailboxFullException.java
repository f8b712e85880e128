package io.millrace.actors;

/** Thrown by {@code tell} under {@link MailboxFullPolicy#failFast()} when the recipient's lane queue is full. */
public final class MailboxFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ActorPath recipient;

    public MailboxFullException(ActorPath recipient, int capacity) {
        super("mailbox of " + recipient + " is full: lane capacity=" + capacity
                + " (send slower, raise mailboxCapacity or use MailboxFullPolicy.waitUpTo)");
        this.recipient = recipient;
    }

    /** The actor whose queue was full. */
    public ActorPath recipient() {
        return recipient;
    }
}
