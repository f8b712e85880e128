package io.millrace.actors.internal;

/**
 * Bounds how many failures of one actor are logged: at most {@value #LIMIT} lines a second; those over it are
 * counted, and the count is reported with the next line logged. Confined to the actor's thread.
 */
final class FailureLog {

    static final int LIMIT = 10;
    private static final long SECOND = 1_000_000_000L;

    private long window;
    private int logged;
    private int suppressed;
    private boolean started;

    /**
     * @param nowNanos {@link System#nanoTime()}
     * @return -1 if this failure is not to be logged, else how many were not logged since the last line
     */
    int admit(long nowNanos) {
        if (!started || nowNanos - window > SECOND) {
            started = true;
            window = nowNanos;
            logged = 0;
        }
        if (logged >= LIMIT) {
            suppressed++;
            return -1;
        }
        logged++;
        int count = suppressed;
        suppressed = 0;
        return count;
    }
}
