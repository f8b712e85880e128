package io.millrace.actors;

/**
 * Handles a message of a {@link Behaviors#stateful} behavior, given its state.
 *
 * @param <T> the actor's messages
 * @param <S> its state
 */
@FunctionalInterface
public interface StatefulHandler<T, S> {

    /**
     * @param context the actor's context
     * @param state   the current state (may be mutated in place)
     * @param message the message
     * @return {@link Behaviors#newState} to replace the state, {@link Behaviors#same()} to keep it,
     *         {@link Behaviors#stopped()} to stop with it, or another behavior
     */
    Behavior<T> onMessage(ActorContext<T> context, S state, T message);

    /**
     * Handles a signal of a {@link Behaviors#stateful} behavior, given its state.
     *
     * @param <T> the actor's messages
     * @param <S> its state
     */
    @FunctionalInterface
    interface OnSignal<T, S> {

        /**
         * @param context the actor's context
         * @param state   the current state
         * @param signal  the signal
         * @return as {@link StatefulHandler#onMessage}; {@link Behaviors#unhandled()} if not handled
         */
        Behavior<T> onSignal(ActorContext<T> context, S state, Signal signal);
    }
}
