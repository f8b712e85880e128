package io.millrace.shm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@code main} of a class on this JVM's class path, for cross-process tests. Its output
 * lines can be awaited (a child says {@code READY} when it has attached, say); {@link #close()} kills it if it
 * still runs and always reaps it, so no test leaves a JVM behind.
 */
public final class ChildJvm implements AutoCloseable {
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = java.util.Collections.synchronizedList(new ArrayList<>());

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-out").start(this::pump);
    }

    /** Starts {@code mainClass} with {@code args}; its stdout and stderr are merged and readable line by line. */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /** As {@link #start(Class, String...)}, with extra JVM options such as {@code -Dname=value}. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(Jvm.NATIVE_ACCESS_FLAG);
        command.add("-Xmx128m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start child JVM " + command, e);
        }
    }

    /**
     * Starts a command line of one's own (a JVM on a module path, say) with extra environment variables; as
     * {@link #start(Class, String...)}, its output is readable line by line and {@link #close()} reaps it.
     */
    public static ChildJvm exec(List<String> command, java.util.Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            return new ChildJvm(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start child JVM " + command, e);
        }
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                transcript.add(line);
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the child went away
        } finally {
            lines.add(EOF);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for an output line that starts with {@code prefix} and returns it; fails on timeout or exit. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("child " + pid() + " printed no line starting with '" + prefix + "' within "
                        + timeout + "; it printed: " + transcript);
            }
            if (line.equals(EOF)) {
                lines.add(EOF);
                throw new AssertionError("child " + pid() + " exited before printing '" + prefix + "'; it printed: "
                        + transcript);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** True when the child has printed a line starting with {@code prefix} so far; does not wait. */
    public boolean hasPrinted(String prefix) {
        synchronized (transcript) {
            return transcript.stream().anyMatch(line -> line.startsWith(prefix));
        }
    }

    /** Waits for the child to exit and returns its exit code; fails on timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + pid() + " did not exit within " + timeout + "; it printed: " + transcript);
        }
        return process.exitValue();
    }

    /** Kills the child with SIGKILL and reaps it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        process.waitFor();
    }
}
