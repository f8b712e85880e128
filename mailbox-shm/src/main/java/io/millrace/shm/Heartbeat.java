package io.millrace.shm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/** One daemon thread per JVM that writes the heartbeat of every open region's participant slot. */
final class Heartbeat {
    static final long PERIOD_NANOS = 100_000_000L;
    private static final Set<SharedRegion> REGIONS = ConcurrentHashMap.newKeySet();
    private static Thread thread;

    private Heartbeat() {
    }

    static synchronized void add(SharedRegion region) {
        REGIONS.add(region);
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("millrace-heartbeat").start(Heartbeat::run);
        }
    }

    static void remove(SharedRegion region) {
        REGIONS.remove(region);
    }

    private static void run() {
        while (true) {
            for (SharedRegion region : REGIONS) {
                try {
                    region.beat();
                } catch (RuntimeException closedMeanwhile) {
                    REGIONS.remove(region);
                }
            }
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }
}
