package io.millrace.reactive;

import io.millrace.shm.ShmTestDirectory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/** Waits for the regions of ended subscriptions to be removed (their threads remove them after the last signal). */
final class TestFiles {
    private TestFiles() {
    }

    /** Waits up to 10 s until the directory holds only {@code allowed} files, and fails naming what is left. */
    static void awaitOnly(ShmTestDirectory shm, List<String> allowed) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!allowed.containsAll(shm.files())) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("regions left behind: " + shm.files());
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    static void awaitNone(ShmTestDirectory shm) throws IOException {
        awaitOnly(shm, List.of());
    }
}
