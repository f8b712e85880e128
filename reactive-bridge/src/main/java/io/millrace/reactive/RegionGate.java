package io.millrace.reactive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a region mapped while threads other than its owner touch it (a wake or credit record offered into one of
 * its rings), so that its owner never closes it under them.
 *
 * <p>Why: a region's memory belongs to a shared {@code Arena}. Closing a shared arena while another thread is inside
 * an access of it makes the JVM hand that thread an asynchronous exception through a handshake, and the JDK leaves
 * some of those threads' interrupt flags set (seen on 25.0.3: a thread reading a segment in a loop until another
 * closes its shared arena was left interrupted in 30 of 300 rounds). The offering thread is the user's (the TCK's {@code main} got a stale interrupt this way from a
 * {@code request} racing the end of its subscription, and from {@code Publication.close} racing the publisher's
 * thread), and a later wait of it throws {@code InterruptedException} at once.
 *
 * <p>Protocol: {@code users} counts the threads inside, plus {@link #SHUT} once the owner shuts the gate.
 * {@link #enter()} increments it unless shut; {@link #exit()} decrements it. {@link #shut()} adds {@code SHUT} and
 * waits until every thread that entered has left (spinning, yielding, then parking: an offer is a few stores, a wait
 * for ring space ends within its 10 ms slice); after it no thread enters, and the owner may close the region.
 */
final class RegionGate {
    private static final int SHUT = Integer.MIN_VALUE;
    private static final VarHandle USERS;

    static {
        try {
            USERS = MethodHandles.lookup().findVarHandle(RegionGate.class, "users", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through USERS
    private volatile int users;

    /** Enters unless shut; a {@code true} return must be paired with {@link #exit()}. */
    boolean enter() {
        while (true) {
            int u = users;
            if (u < 0) {
                return false;
            }
            if (USERS.compareAndSet(this, u, u + 1)) {
                return true;
            }
        }
    }

    void exit() {
        USERS.getAndAdd(this, -1);
    }

    /** Shuts the gate and waits until the threads inside have left (by the owner, before closing the region). */
    void shut() {
        while (true) {
            int u = users;
            if (u < 0) {
                return; // shut already
            }
            if (USERS.compareAndSet(this, u, u + SHUT)) {
                break;
            }
        }
        for (int spins = 0; users != SHUT; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (spins < 1_000) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(100_000); // a thread inside waits for ring space: up to a 10 ms slice
            }
        }
    }
}
