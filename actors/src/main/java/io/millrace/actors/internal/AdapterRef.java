package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;

import java.util.List;
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

    /**
     * The adapter of {@code messageClass} among a cell's {@code adapters} (its owner thread): the existing one, now
     * with {@code function}, or a new one, registered with the node.
     */
    @SuppressWarnings("unchecked")
    static <U> AdapterRef<U> forClass(List<AdapterRef<?>> adapters, ActorCell<?> cell, Class<U> messageClass,
                                      Function<U, Object> function) {
        for (AdapterRef<?> existing : adapters) {
            if (existing.messageClass == messageClass) {
                ((AdapterRef<U>) existing).function = function;
                return (AdapterRef<U>) existing;
            }
        }
        LocalNode node = cell.runtime().node();
        long uid = node.nextUid();
        AdapterRef<U> ref = new AdapterRef<>(node.pathFor(cell.path.path() + "/$$adapter-" + uid, uid), cell,
                messageClass, function);
        adapters.add(ref);
        node.register(ref);
        return ref;
    }

    @Override
    public void tell(U message) {
        cell.adapt(this, Objects.requireNonNull(message, "message"));
    }
}
