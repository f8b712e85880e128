package io.millrace.actors.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child JVM started from a {@link ChildJvmSpec}: the one launcher that actor nodes and generator workers use.
 *
 * <ul>
 *   <li>It never outlives this JVM: the child's bootstrap ({@link ChildMain}) ends it when the pipe on its standard
 *   input closes, which happens when this process exits for any reason, SIGKILL included. When this JVM ends
 *   normally, a shutdown hook kills and reaps every child still running.</li>
 *   <li>Its stdout and stderr reach this process's, each line prefixed with {@code [name pid]}; the last
 *   {@value #KEPT_LINES} lines of stderr are kept for error messages ({@link #lastErrorLines()}).</li>
 *   <li>Every exit is reaped and reported once by {@link #onExit()}, as an exit status: the process's exit code, or
 *   {@code -N} for a process killed by signal N (as Python's {@code multiprocessing} reports it).</li>
 * </ul>
 */
public final class ChildJvm implements AutoCloseable {
    static final int KEPT_LINES = 20;
    private static final Set<ChildJvm> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(ChildJvm::reapAll));
    }

    private final ChildJvmSpec spec;
    private final Process process;
    private final ArrayDeque<String> errorLines = new ArrayDeque<>();
    private final CompletableFuture<Integer> exit;
    private final CompletableFuture<Void> outputDone;

    private ChildJvm(ChildJvmSpec spec, Process process) {
        this.spec = spec;
        this.process = process;
        String prefix = "[" + spec.name() + " " + process.pid() + "] ";
        CompletableFuture<Void> out = pump(process.getInputStream(), System.out, prefix, false);
        CompletableFuture<Void> err = pump(process.getErrorStream(), System.err, prefix, true);
        this.outputDone = CompletableFuture.allOf(out, err);
        this.exit = process.onExit().thenCombine(outputDone, (p, ignored) -> exitStatus(p.exitValue()));
        exit.whenComplete((status, failure) -> RUNNING.remove(this));
    }

    /**
     * Starts a child JVM as {@code spec} says; returns once the process runs (not once its {@code main} is ready: a
     * caller that needs that waits for a sign from the child, such as a region it creates).
     *
     * @throws LaunchException if the process cannot be started (no such java, an unusable working directory)
     */
    public static ChildJvm start(ChildJvmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        List<String> command = spec.command();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(spec.env());
        builder.redirectInput(ProcessBuilder.Redirect.PIPE); // the parent-death pipe: nothing is ever written
        try {
            ChildJvm child = new ChildJvm(spec, builder.start());
            RUNNING.add(child);
            if (!child.process.isAlive()) {
                RUNNING.remove(child);
            }
            return child;
        } catch (IOException e) {
            throw new LaunchException("cannot start child JVM '" + spec.name() + "' (" + command.getFirst() + " ... "
                    + spec.mainClass() + "): " + e.getMessage(), e);
        }
    }

    /** The exit status for {@link Process#exitValue()}: the code, or {@code -N} when signal N killed it. */
    static int exitStatus(int exitValue) {
        return exitValue > 128 && exitValue <= 128 + 64 ? -(exitValue - 128) : exitValue;
    }

    public long pid() {
        return process.pid();
    }

    public ChildJvmSpec spec() {
        return spec;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Completes with the exit status once the child has exited and its output is drained. */
    public CompletableFuture<Integer> onExit() {
        return exit.copy();
    }

    /**
     * Waits up to {@code timeout} for the child to exit; returns its exit status.
     *
     * @throws TimeoutException if it still runs after {@code timeout}
     */
    public int awaitExit(Duration timeout) throws InterruptedException, TimeoutException {
        Objects.requireNonNull(timeout, "timeout");
        try {
            return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("child " + pid() + " could not be reaped", e.getCause());
        }
    }

    /** Asks the child to stop (SIGTERM: its shutdown hooks run). */
    public void terminate() {
        process.destroy();
    }

    /** Kills the child (SIGKILL) and waits until it is reaped. */
    public void kill() {
        process.destroyForcibly();
        reap();
    }

    /** The last lines the child wrote to stderr, oldest first. */
    public List<String> lastErrorLines() {
        synchronized (errorLines) {
            return List.copyOf(errorLines);
        }
    }

    /** Kills the child if it still runs and reaps it. Idempotent. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        reap();
    }

    @Override
    public String toString() {
        return "ChildJvm[" + spec.name() + ", pid=" + pid() + (process.isAlive() ? ", alive" : ", exited") + "]";
    }

    private void reap() {
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        outputDone.orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        RUNNING.remove(this);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<Void> pump(InputStream stream, PrintStream sink, String prefix, boolean keep) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("child-" + process.pid() + (keep ? "-err" : "-out")).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    sink.println(prefix + line);
                    if (keep) {
                        synchronized (errorLines) {
                            if (errorLines.size() == KEPT_LINES) {
                                errorLines.removeFirst();
                            }
                            errorLines.addLast(line);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the child went away
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    private static void reapAll() {
        for (ChildJvm child : List.copyOf(RUNNING)) {
            child.process.destroyForcibly();
        }
        for (ChildJvm child : List.copyOf(RUNNING)) {
            try {
                child.process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
