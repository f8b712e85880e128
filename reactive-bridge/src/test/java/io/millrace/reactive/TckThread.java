package io.millrace.reactive;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Isolates each TCK method from an interrupt left on the TestNG thread by whatever ran on it before (the TCK, the
 * JUnit tests and this module's code share surefire's one JVM and its {@code main} thread). The TCK's waits
 * ({@code ArrayBlockingQueue.poll}) throw at once on a set flag, so a stale interrupt from elsewhere would fail a
 * rule it says nothing about. The one source found (a region closed under the thread's offer, see
 * {@code RegionGate}) is fixed; this guard stays for others. Called from a {@code @BeforeMethod} of every TCK class.
 */
final class TckThread {
    /** The TCK method that began last on any thread, to name where a stale interrupt may come from. */
    private static volatile String previous = "(none: the first TCK method of this JVM)";

    private TckThread() {
    }

    /**
     * Clears a set interrupt flag of the calling thread and says so on stderr, naming the method about to run and
     * the TCK method that began before it.
     *
     * @param verification the TCK class
     * @param method       the TCK method about to run
     * @return the notice written to stderr, empty when the flag was clear
     */
    static Optional<String> clearStaleInterrupt(Class<?> verification, Method method) {
        String test = verification.getSimpleName() + "." + method.getName();
        String before = previous;
        previous = test;
        if (!Thread.interrupted()) {
            return Optional.empty();
        }
        String notice = "millrace TCK: cleared a stale interrupt of thread=" + Thread.currentThread().getName()
                + " before " + test + "; previous TCK method=" + before;
        System.err.println(notice);
        return Optional.of(notice);
    }
}
