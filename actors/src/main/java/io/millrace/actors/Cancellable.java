package io.millrace.actors;

/** A scheduled task that can be cancelled. */
public interface Cancellable {

    /**
     * Cancels the task; a run already started finishes.
     *
     * @return true if this call cancelled it, false if it had run (once) or was cancelled already
     */
    boolean cancel();

    /** Whether {@link #cancel()} succeeded. */
    boolean isCancelled();
}
