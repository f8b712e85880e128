package io.millrace.actors;

import java.util.Objects;

/**
 * A watched child (or a joinable one, {@link ActorContext#spawnJoinable}) stopped because it failed; it has no
 * snapshot. Unhandled, it makes the parent fail with a {@link DeathPactException}, as any {@link Terminated}.
 */
public final class ChildFailed extends Terminated {

    private final Throwable cause;

    /**
     * @param ref   the child
     * @param cause why it failed
     */
    public ChildFailed(ActorRef<?> ref, Throwable cause) {
        super(ref);
        this.cause = Objects.requireNonNull(cause, "cause");
    }

    /** Why the child failed ({@link JoinTimeoutException} when its join timed out). */
    public Throwable cause() {
        return cause;
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other) && cause.equals(((ChildFailed) other).cause);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + cause.hashCode();
    }

    @Override
    public String toString() {
        return "ChildFailed[" + ref() + ", " + cause + "]";
    }
}
