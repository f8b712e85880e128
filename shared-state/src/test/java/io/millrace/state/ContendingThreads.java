package io.millrace.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Test support: threads that start together, each running a step with its own seeded Random, then joined. */
final class ContendingThreads {
    private ContendingThreads() {
    }

    /** Runs {@code step} {@code iterations} times on each of {@code threads} threads; fails on any exception. */
    static void run(int threads, int iterations, Consumer<Random> step) throws InterruptedException {
        run(threads, iterations, (thread, random) -> step.accept(random));
    }

    /** As {@link #run(int, int, Consumer)}, the step told which thread (0 to {@code threads - 1}) runs it. */
    static void run(int threads, int iterations, BiConsumer<Integer, Random> step) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            int thread = t;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        step.accept(thread, random);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }
}
