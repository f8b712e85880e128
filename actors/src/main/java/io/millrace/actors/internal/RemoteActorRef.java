package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;

import java.util.Objects;

/** A ref to an actor of another node: tells go through the node's {@link RemoteTransport}. */
final class RemoteActorRef<T> extends AbstractRef<T> {

    private final RemoteTransport transport;

    RemoteActorRef(ActorPath path, RemoteTransport transport) {
        super(path);
        this.transport = transport;
    }

    @Override
    public void tell(T message) {
        transport.send(path, Objects.requireNonNull(message, "message"));
    }
}
