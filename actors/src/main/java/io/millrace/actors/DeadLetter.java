package io.millrace.actors;

import java.util.Objects;

/**
 * A message that could not be delivered.
 *
 * @param message   the message
 * @param recipient the actor it was for
 * @param reason    why it was not delivered
 */
public record DeadLetter(Object message, ActorPath recipient, Reason reason) {

    public DeadLetter {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(reason, "reason");
    }

    /** Why a message became a dead letter. */
    public enum Reason {
        /** The recipient had stopped (or that incarnation never lived on this node). */
        RECIPIENT_STOPPED("recipient stopped"),
        /** The system was terminating or terminated. */
        SYSTEM_TERMINATED("system terminated"),
        /** The recipient's lane queue stayed full for the policy's timeout. */
        MAILBOX_FULL("mailbox full"),
        /** The recipient's node is gone: terminated, its region removed, or its process dead. */
        NODE_GONE("node gone");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
