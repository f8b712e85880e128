package io.millrace.actors;

/**
 * A behavior under supervision ({@link Behaviors#supervise}); more {@code onFailure} cases may be added. Cases
 * are tried in the order given, so put the most specific class first; a supervised behavior inside another is
 * tried before the outer one.
 *
 * @param <T> the actor's messages
 */
public abstract class SupervisedBehavior<T> extends Behavior<T> {

    /** For the runtime only. */
    protected SupervisedBehavior() {
    }

    /**
     * This behavior with one more case: a failure that is an instance of {@code type} (and matched no earlier
     * case) is handled by {@code strategy}.
     *
     * @param type     the throwable's class
     * @param strategy what to do
     * @return the supervised behavior
     */
    public abstract SupervisedBehavior<T> onFailure(Class<? extends Throwable> type, SupervisorStrategy strategy);
}
