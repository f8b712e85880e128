package io.millrace.generators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM that exits with a pool of one ready worker open, for {@link PoolShutdownTest}. A shutdown hook of its own,
 * which the JVM starts alongside {@code ChildJvm}'s and the pool's in no set order, notes at once whether the pool
 * knows that the JVM is exiting, kills the worker as {@code ChildJvm}'s hook does, waits until the pool has handled
 * that exit, and writes {@code exiting=<b> workers=<pids after>} to the file {@code args[1]}, then closes the pool.
 * Args: the pool's base directory, the report file.
 */
public final class ExitingPoolChild {
    private ExitingPoolChild() {
    }

    public static void main(String[] args) throws Exception {
        WorkerPool pool = WorkerPool.builder().size(1).baseDirectory(Path.of(args[0])).build();
        pool.<Integer>call(() -> 0, Duration.ofSeconds(60));
        long worker = pool.workerPids().getFirst();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            boolean exiting = PoolSupport.jvmExiting();
            ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + 30_000_000_000L;
            List<Long> after;
            while ((after = pool.workerPids()).contains(worker) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000);
            }
            try {
                Files.writeString(Path.of(args[1]), "exiting=" + exiting + " workers=" + after);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                pool.close();
            }
        }));
        System.exit(0);
    }
}
