package io.millrace.state;

import java.util.concurrent.locks.LockSupport;

/**
 * A test hook: with {@code -Dmillrace.state.crashPoint=NAME}, the thread that reaches the point {@code NAME} prints
 * {@code PARKED NAME} and parks for good, so that a test can SIGKILL the process exactly there. Off (one constant
 * test the JIT folds away) unless the property is set.
 */
final class CrashPoints {
    static final String PROPERTY = "millrace.state.crashPoint";
    private static final String POINT = System.getProperty(PROPERTY);
    /** Whether a point is set: callers that build a point's name test it first. */
    static final boolean ENABLED = POINT != null;

    private CrashPoints() {
    }

    static void reach(String name) {
        if (ENABLED && POINT.equals(name)) {
            System.out.println("PARKED " + name);
            System.out.flush();
            while (true) {
                LockSupport.park();
            }
        }
    }
}
