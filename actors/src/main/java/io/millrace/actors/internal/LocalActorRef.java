package io.millrace.actors.internal;

import java.util.Objects;

/** A ref to an actor of this node: holds its cell, so a tell is an in-process hand-off to the cell's lane. */
final class LocalActorRef<T> extends AbstractRef<T> {

    final ActorCell<T> cell;

    LocalActorRef(ActorCell<T> cell) {
        super(cell.path);
        this.cell = cell;
    }

    @Override
    public void tell(T message) {
        cell.tell(Objects.requireNonNull(message, "message"));
    }
}
