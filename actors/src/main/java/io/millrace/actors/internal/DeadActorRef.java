package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.DeadLetter;

import java.util.Objects;

/** A ref to an incarnation no longer (or never) alive on this node: every message is a dead letter. */
final class DeadActorRef<T> extends AbstractRef<T> {

    private final DeadLetterOffice deadLetters;

    DeadActorRef(ActorPath path, DeadLetterOffice deadLetters) {
        super(path);
        this.deadLetters = deadLetters;
    }

    @Override
    public void tell(T message) {
        deadLetters.publish(Objects.requireNonNull(message, "message"), path, DeadLetter.Reason.RECIPIENT_STOPPED);
    }
}
