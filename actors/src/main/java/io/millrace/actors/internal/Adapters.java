package io.millrace.actors.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cell's message adapters ({@code messageAdapter}, made on its first call) and piped stages ({@code pipeToSelf}):
 * messages made on other threads as an {@link Adapted}, converted on the actor's own thread when it is handled.
 */
final class Adapters {

    /** A message to be made on the actor's thread: an adapter's function applied, or a stage's outcome mapped. */
    record Adapted(Supplier<?> message) {

        /** The message the actor handles (its lane thread). */
        Object make() {
            return Objects.requireNonNull(message.get(), "a message adapter returned null");
        }
    }

    private final ActorCell<?> cell;
    private final List<AdapterRef<?>> refs = new ArrayList<>(2);

    Adapters(ActorCell<?> cell) {
        this.cell = cell;
    }

    /**
     * The adapter of {@code messageClass} (owner thread): the existing one, now with {@code function}, or a new one,
     * registered with the node.
     */
    @SuppressWarnings("unchecked")
    <U> AdapterRef<U> forClass(Class<U> messageClass, Function<U, Object> function) {
        for (AdapterRef<?> existing : refs) {
            if (existing.messageClass == messageClass) {
                ((AdapterRef<U>) existing).function = function;
                return (AdapterRef<U>) existing;
            }
        }
        LocalNode node = cell.runtime().node();
        long uid = node.nextUid();
        AdapterRef<U> ref = new AdapterRef<>(node.pathFor(cell.path.path() + "/$$adapter-" + uid, uid), cell,
                messageClass, function);
        refs.add(ref);
        node.register(ref);
        return ref;
    }

    /** The cell stopped: its adapters' refs are no longer resolvable. */
    void unregisterAll() {
        refs.forEach(cell.runtime().node()::unregister);
    }

    /** Called by an adapter ref, on any thread. */
    static <U> void adapt(ActorCell<?> cell, AdapterRef<U> adapter, U message) {
        cell.tellInternal(new Adapted(() -> adapter.function.apply(message)), true);
    }

    /** Tells {@code cell} what {@code applyToResult} makes of the stage's outcome, once it completes. */
    static <V, T> void pipeToSelf(ActorCell<T> cell, CompletionStage<V> stage,
                                  BiFunction<V, Throwable, T> applyToResult) {
        stage.whenComplete((value, failure) -> cell.tellInternal(new Adapted(() -> applyToResult.apply(value,
                failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure)), true));
    }
}
