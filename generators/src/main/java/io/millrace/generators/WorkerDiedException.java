package io.millrace.generators;

/**
 * A worker JVM ended (killed, crashed, exited) before it reported the outcome of the task it ran; the message names
 * the worker's pid, its exit status ({@code -N} when signal N killed it) and the task. Nothing of that task is
 * merged.
 */
public final class WorkerDiedException extends RuntimeException {
    private final long pid;
    private final int exitStatus;

    /**
     * @param pid        the worker's process id
     * @param exitStatus its exit status
     * @param message    what it was doing, naming pid and status
     */
    public WorkerDiedException(long pid, int exitStatus, String message) {
        super(message);
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    /** @return the process id of the worker that died */
    public long pid() {
        return pid;
    }

    /** @return its exit status: the exit code, or {@code -N} when signal N killed it */
    public int exitStatus() {
        return exitStatus;
    }
}
