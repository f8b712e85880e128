package io.millrace.generators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pool of the hand-run mains ({@link MapMain}, {@link CallAbMain}): 2 workers in a temporary base directory
 * under /dev/shm, removed after; and their figures. Needs no JUnit on the class path (unlike {@link PoolDirectory}).
 */
final class BenchPool {
    /** What runs on the pool. */
    interface Body {
        void run(WorkerPool pool) throws Exception;
    }

    private BenchPool() {
    }

    /** Runs {@code body} on a new pool of 2 workers ({@code lowLatency} as given), then closes it and its directory. */
    static void run(String name, boolean lowLatency, Body body) throws Exception {
        Path base = Files.createTempDirectory(Path.of("/dev/shm"), "millrace-" + name + "-");
        try (WorkerPool pool = WorkerPool.builder().size(2).baseDirectory(base).lowLatency(lowLatency).build()) {
            body.run(pool);
        } finally {
            deleteTree(base);
        }
    }

    /** Deletes {@code root} and everything under it. */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** {@code "median M [min-max]"} of {@code rates} (items a second), in millions a second. */
    static String rates(List<Double> rates) {
        List<Double> sorted = rates.stream().sorted().toList();
        return String.format("median %.3f M items/s [%.3f-%.3f]", sorted.get(sorted.size() / 2) / 1e6,
                sorted.getFirst() / 1e6, sorted.getLast() / 1e6);
    }
}
