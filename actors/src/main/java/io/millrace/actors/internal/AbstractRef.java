package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;

import java.util.Objects;

/** Every ref is a value: equal to any other ref with the same {@link ActorPath}, whatever its kind. */
abstract class AbstractRef<T> implements ActorRef<T> {

    final ActorPath path;

    AbstractRef(ActorPath path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public final ActorPath path() {
        return path;
    }

    @Override
    @SuppressWarnings("unchecked")
    public final <U extends T> ActorRef<U> narrow() {
        return (ActorRef<U>) this;
    }

    @Override
    public final boolean equals(Object other) {
        return other instanceof ActorRef<?> ref && path.equals(ref.path());
    }

    @Override
    public final int hashCode() {
        return path.hashCode();
    }

    @Override
    public final String toString() {
        return path.toString();
    }
}
