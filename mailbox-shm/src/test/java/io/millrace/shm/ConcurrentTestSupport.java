package io.millrace.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/** Helpers for tests that run threads against shared memory. */
final class ConcurrentTestSupport {

    /** How long a concurrent test may take before it is reported as hung rather than waited on forever. */
    static final long TIMEOUT_SECONDS = 60;

    private ConcurrentTestSupport() {
    }

    /**
     * Runs {@code threads} bodies at once and returns their results in thread order. Every thread first
     * reports ready and then waits at a start gate, which opens only when all are ready, so the bodies
     * overlap as much as the scheduler allows. A body's exception fails the caller.
     */
    static <T> List<T> runTogether(int threads, IntFunction<Callable<T>> body) throws Exception {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int thread = 0; thread < threads; thread++) {
                Callable<T> work = body.apply(thread);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return work.call();
                }));
            }
            if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("threads=" + threads + " did not all start within " + TIMEOUT_SECONDS + " s");
            }
            start.countDown();
            List<T> results = new ArrayList<>(threads);
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        }
    }

    /**
     * Puts a {@code @TempDir} in {@code /dev/shm} (where Millrace's regions live) when there is one, else in
     * the default temporary directory. JUnit deletes the directory and everything in it after the test.
     */
    static final class DevShmTempDirFactory implements TempDirFactory {
        private static final Path DEV_SHM = Path.of("/dev/shm");

        @Override
        public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext)
                throws IOException {
            return Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM)
                ? Files.createTempDirectory(DEV_SHM, "millrace-test-")
                : Files.createTempDirectory("millrace-test-");
        }
    }
}
