package io.millrace.generators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM that exits with a pool of one ready worker open, for {@link PoolShutdownTest}. A shutdown hook of its own,
 * which the JVM starts alongside {@code ChildJvm}'s and {@value #PROBES} others in no set order, notes at once whether
 * the pool knows that the JVM is exiting (as each of the others does, so that some ask before any hook of the pool's
 * could have run), kills the worker as {@code ChildJvm}'s hook does, waits until the pool has handled that exit, and
 * writes {@code exiting=<b> workers=<pids after>} to the file {@code args[1]} ({@code b}: whether every hook knew),
 * then closes the pool. Args: the pool's base directory, the report file.
 */
public final class ExitingPoolChild {
    /** Hooks that only ask whether the JVM exits, each as soon as it starts. */
    private static final int PROBES = 32;

    private ExitingPoolChild() {
    }

    public static void main(String[] args) throws Exception {
        WorkerPool pool = WorkerPool.builder().size(1).baseDirectory(Path.of(args[0])).build();
        pool.<Integer>call(() -> 0, Duration.ofSeconds(60));
        long worker = pool.workerPids().getFirst();
        AtomicBoolean everyProbeKnew = new AtomicBoolean(true);
        CountDownLatch probed = new CountDownLatch(PROBES);
        for (int i = 0; i < PROBES; i++) { // started in no set order: some before any hook the pool could have
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
                if (!PoolSupport.jvmExiting()) {
                    everyProbeKnew.set(false);
                }
                probed.countDown();
            }));
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            boolean exiting = PoolSupport.jvmExiting();
            ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
            long deadline = System.nanoTime() + 30_000_000_000L;
            List<Long> after;
            while ((after = pool.workerPids()).contains(worker) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000);
            }
            try {
                exiting &= probed.await(30, TimeUnit.SECONDS) && everyProbeKnew.get();
                Files.writeString(Path.of(args[1]), "exiting=" + exiting + " workers=" + after);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pool.close();
            }
        }));
        System.exit(0);
    }
}
