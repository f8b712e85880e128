package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.DeadLetter;

/** The transport of a node that talks to no other node: every message is a dead letter, reason "no transport". */
final class NoTransport implements RemoteTransport {

    private final DeadLetterOffice deadLetters;

    NoTransport(DeadLetterOffice deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void send(ActorPath recipient, Object message) {
        deadLetters.publish(message, recipient, DeadLetter.Reason.NO_TRANSPORT);
    }

    @Override
    public void close() {
    }
}
