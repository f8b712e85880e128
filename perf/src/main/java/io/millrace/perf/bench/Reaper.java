package io.millrace.perf.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Owns every child process and every directory a run creates, and removes them: after each trial, at the end
 * of the run, and from a shutdown hook on Ctrl-C. A process is killed together with its descendants (a pipe
 * pinger's ponger, Python's worker processes), which are listed before the parent dies so that none escapes by
 * being re-parented.
 */
public final class Reaper implements AutoCloseable {

    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final Set<Path> dirs = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final Thread hook = new Thread(this::reapAll, "bench-reaper");
    private boolean closed;

    public Reaper() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts a process, or refuses once the run is being torn down. */
    public Process start(ProcessBuilder builder) throws IOException {
        synchronized (lock) {
            checkOpen();
            Process p = builder.start();
            live.add(p);
            return p;
        }
    }

    /** Starts processes whose stdout feeds the next one's stdin. */
    public List<Process> startPipeline(List<ProcessBuilder> builders) throws IOException {
        synchronized (lock) {
            checkOpen();
            List<Process> ps = ProcessBuilder.startPipeline(builders);
            live.addAll(ps);
            return ps;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the benchmark run is shutting down");
        }
    }

    /**
     * Creates {@code dir} (and missing parents) and registers it to delete at the end even if its trial never gets
     * to clean up, or refuses once the run is being torn down: the
     * main thread goes on while the shutdown hook runs, and a trial's directory created after the hook removed
     * the run's would bring the run's directory back, with nobody left to remove it.
     *
     * @throws IllegalStateException once {@link #reapAll} has begun
     */
    public void createDirectories(Path dir) throws IOException {
        synchronized (lock) {
            checkOpen();
            dirs.add(dir);
            Files.createDirectories(dir);
        }
    }

    /**
     * Creates a new directory, private to this user ({@code rwx------}), named {@code prefix} and a random suffix
     * under {@code parent}, and tracks it as {@link #createDirectories} does, or refuses once the run is being torn
     * down.
     *
     * @param parent an existing directory
     * @param prefix the start of the new directory's name
     * @return the new directory
     * @throws IllegalStateException once {@link #reapAll} has begun
     * @throws IOException           if it cannot be created
     */
    public Path createTempDirectory(Path parent, String prefix) throws IOException {
        synchronized (lock) {
            checkOpen();
            Path dir = Files.createTempDirectory(parent, prefix,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dirs.add(dir);
            return dir;
        }
    }

    /** Kills a process and its descendants and waits for all of them to be gone. */
    public void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(process.toHandle());
        descendants.forEach(Reaper::awaitExit);
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        live.remove(process);
    }

    private static void awaitExit(ProcessHandle handle) {
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // reported by the caller's checks; nothing more to do here
        }
    }

    /** Deletes a directory tree (missing is fine) and stops tracking it. */
    public void delete(Path dir) {
        deleteTree(dir);
        dirs.remove(dir);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException e) {
                    // removed concurrently
                }
            }
        } catch (NoSuchFileException e) {
            // removed concurrently
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /** Kills every live child (and any other descendant of this JVM) and deletes every tracked directory. */
    public void reapAll() {
        synchronized (lock) {
            closed = true;
        }
        for (Process p : new ArrayList<>(live)) {
            kill(p);
        }
        ProcessHandle.current().descendants().forEach(h -> {
            h.destroyForcibly();
            awaitExit(h);
        });
        for (Path d : new ArrayList<>(dirs)) {
            try {
                delete(d);
            } catch (UncheckedIOException e) {
                System.err.println("bench: " + e.getMessage() + ": " + e.getCause());
            }
        }
    }

    @Override
    public void close() {
        reapAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }
}
