package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;

import java.util.Objects;
import java.util.function.Function;

/** A message adapter's ref: converts on the actor's thread and delivers to the actor ({@code messageAdapter}). */
final class AdapterRef<U> extends AbstractRef<U> {

    final Class<U> messageClass;
    private final ActorCell<?> cell;
    /** Replaced by a later {@code messageAdapter} call for the same class; read on the actor's thread. */
    volatile Function<U, Object> function;

    AdapterRef(ActorPath path, ActorCell<?> cell, Class<U> messageClass, Function<U, Object> function) {
        super(path);
        this.cell = cell;
        this.messageClass = messageClass;
        this.function = function;
    }

    @Override
    public void tell(U message) {
        Adapters.adapt(cell, this, Objects.requireNonNull(message, "message"));
    }
}
