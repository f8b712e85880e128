package io.millrace.perf.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@code bench} run to kill, for {@code KilledBenchTest}: two trials of a system whose trial is a process that
 * never reports {@code READY} ({@code sh}, printing {@code STARTED}), in the work directory {@code args[0]}. The
 * test sends SIGTERM once it has started; the reaper's shutdown hook kills it, and the first trial fails. This
 * JVM holds the run right there, at the failure's message on stderr, until the hook has removed the run's
 * directory ({@code RESUMED}), so that the second trial starts after the hook: where a killed run left its
 * directory behind, recreated by the trial and emptied by the trial's clean-up. A shutdown hook of its own keeps
 * the JVM up until the run has ended ({@code ENDED}).
 */
public final class KilledBenchChild {
    private KilledBenchChild() {
    }

    /** A system whose every trial is one process that prints STARTED and sleeps. */
    private static final class Stalling implements BenchSystem {
        @Override
        public String name() {
            return "stalling";
        }

        @Override
        public String description() {
            return "a trial that never starts";
        }

        @Override
        public Optional<String> unsupported(Scenario scenario, int size) {
            return Optional.empty();
        }

        @Override
        public List<Stage> stages(TrialSpec trial) {
            return List.of(new Stage(List.of(new Stage.Launch(Role.CONSUMER, 0,
                    List.of("sh", "-c", "echo STARTED; exec sleep 120"))), false));
        }

        @Override
        public void run(RoleContext ctx) {
            throw new UnsupportedOperationException("the stalling system runs no Java role");
        }
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path root = work.resolve(Harness.RUN_DIR_PREFIX + ProcessHandle.current().pid());
        PrintStream stdout = System.out;
        CountDownLatch ended = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                ended.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "killed-bench-child"));
        AtomicBoolean held = new AtomicBoolean();
        System.setErr(new PrintStream(System.err, true) {
            @Override
            public void println(String line) {
                stdout.println(line);
                if (line.contains(" failed: ") && held.compareAndSet(false, true)) {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (Files.exists(root) && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(1_000_000);
                    }
                    stdout.println(Files.exists(root) ? "NOT REMOVED " + root : "RESUMED");
                }
            }
        });
        try {
            Harness.run(new Harness.Config(List.of(new Stalling()), List.of(Scenario.SPSC), List.of(64, 128), 20, 20,
                    1, work, false, true, "test"));
            stdout.println("ENDED normally");
        } catch (Throwable t) {
            stdout.println("ENDED " + t);
        } finally {
            ended.countDown();
        }
    }
}
