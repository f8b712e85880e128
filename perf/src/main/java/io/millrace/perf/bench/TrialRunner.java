package io.millrace.perf.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one trial: starts the system's stages, waits for every process's {@code READY}, sends {@code GO} to the
 * clients, collects the measuring role's {@code RESULT}s, waits for every process to exit, and always kills
 * what is left and deletes the trial directory. A process that reports {@code ERROR}, exits non-zero, or a
 * trial that overruns its time budget fails the trial with the last lines of the culprit's output.
 */
final class TrialRunner {

    /** Time a stage may take to start and report {@code READY} (JVM start, library start-up, mapping files). */
    static final long STAGE_START_NANOS = TimeUnit.SECONDS.toNanos(90);

    private final Reaper reaper;
    private final PrintStream verbose;

    /** @param verbose where children's own output is echoed, or null to keep it for error reports only */
    TrialRunner(Reaper reaper, PrintStream verbose) {
        this.reaper = reaper;
        this.verbose = verbose;
    }

    /** The reported repetitions, or the reason the trial failed. */
    record Outcome(List<RepResult> results, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    Outcome run(BenchSystem system, TrialSpec spec) {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        List<Child> children = new ArrayList<>();
        List<RepResult> results = new ArrayList<>();
        try {
            reaper.createDirectories(spec.dir());
            List<String> readyArgs = new ArrayList<>();
            for (Stage stage : system.stages(spec)) {
                List<Child> started = start(stage, readyArgs, events);
                children.addAll(started);
                long deadline = System.nanoTime() + STAGE_START_NANOS;
                while (started.stream().anyMatch(c -> !c.ready)) {
                    Event e = next(events, deadline, "waiting for READY from " + labels(started));
                    handle(e, results);
                    if (e.line != null && e.line.kind() == ControlLine.Kind.READY) {
                        e.child.ready = true;
                        e.line.fields().forEach((k, v) -> readyArgs.add(RoleContext.readyArg(k, v)));
                    }
                }
            }
            for (Child c : children) {
                if (c.launch.awaitsGo()) {
                    OutputStream in = c.process.getOutputStream();
                    in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
                    in.flush();
                }
            }
            long budgetMs = 3L * (spec.warmupMs() + (long) spec.reps() * spec.repMs()) + 60_000;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMs);
            while (children.stream().anyMatch(c -> !c.exited)) {
                handle(next(events, deadline, "waiting for the trial to finish"), results);
            }
            if (results.size() != spec.reps()) {
                throw new TrialFailure("expected " + spec.reps() + " results, got " + results.size());
            }
            results.sort(Comparator.comparingInt(RepResult::rep));
            return new Outcome(List.copyOf(results), null);
        } catch (TrialFailure f) {
            return new Outcome(List.of(), f.getMessage());
        } catch (IOException e) {
            return new Outcome(List.of(), "could not start the trial: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(List.of(), "interrupted");
        } finally {
            for (Child c : children) {
                reaper.kill(c.process);
            }
            reaper.delete(spec.dir());
        }
    }

    private List<Child> start(Stage stage, List<String> readyArgs, BlockingQueue<Event> events) throws IOException {
        List<ProcessBuilder> builders = new ArrayList<>();
        for (Stage.Launch launch : stage.launches()) {
            List<String> command = new ArrayList<>(launch.command());
            command.addAll(readyArgs);
            builders.add(new ProcessBuilder(command));
        }
        List<Process> processes;
        if (stage.pipeline()) {
            processes = reaper.startPipeline(builders);
        } else {
            processes = new ArrayList<>();
            for (ProcessBuilder b : builders) {
                processes.add(reaper.start(b));
            }
        }
        List<Child> children = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            boolean stdoutIsOurs = !stage.pipeline() || i == processes.size() - 1;
            Child c = new Child(stage.launches().get(i), processes.get(i));
            c.pump(events, stdoutIsOurs, verbose);
            children.add(c);
        }
        return children;
    }

    private static Event next(BlockingQueue<Event> events, long deadline, String what) throws InterruptedException {
        long left = deadline - System.nanoTime();
        Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
        if (e == null) {
            throw new TrialFailure("timed out " + what);
        }
        return e;
    }

    private static void handle(Event e, List<RepResult> results) {
        Child c = e.child;
        if (e.exitCode != null) {
            c.exited = true;
            if (e.exitCode != 0) {
                throw new TrialFailure(c.launch.label() + " exited with " + e.exitCode + c.tail());
            }
            return;
        }
        switch (e.line.kind()) {
            case ERROR -> throw new TrialFailure(c.launch.label() + ": " + e.line.text() + c.tail());
            case RESULT -> results.add(e.line.toRepResult());
            case READY -> { }
        }
    }

    private static String labels(List<Child> children) {
        return String.join(", ", children.stream().map(c -> c.launch.label()).toList());
    }

    private static final class TrialFailure extends RuntimeException {
        TrialFailure(String message) {
            super(message);
        }
    }

    /** A control line from a child, or its exit (exitCode non-null) once all its output has been read. */
    private record Event(Child child, ControlLine line, Integer exitCode) { }

    private static final class Child {
        private static final int TAIL_LINES = 30;

        final Stage.Launch launch;
        final Process process;
        final Deque<String> tail = new ArrayDeque<>();
        final AtomicInteger openStreams = new AtomicInteger();
        volatile boolean ready;
        volatile boolean exited;

        Child(Stage.Launch launch, Process process) {
            this.launch = launch;
            this.process = process;
        }

        void pump(BlockingQueue<Event> events, boolean stdout, PrintStream verbose) {
            List<InputStream> streams = new ArrayList<>();
            if (stdout) {
                streams.add(process.getInputStream());
            }
            streams.add(process.getErrorStream());
            openStreams.set(streams.size());
            for (InputStream in : streams) {
                Thread.ofPlatform().daemon().name("bench-pump-" + launch.label()).start(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            var control = ControlLine.parse(line);
                            if (control.isPresent()) {
                                events.add(new Event(this, control.get(), null));
                            } else {
                                keep(line);
                                if (verbose != null) {
                                    verbose.println("[" + launch.label() + "] " + line);
                                }
                            }
                        }
                    } catch (IOException e) {
                        keep("(output unreadable: " + e + ")");
                    }
                    if (openStreams.decrementAndGet() == 0) {
                        int code;
                        try {
                            code = process.waitFor();
                        } catch (InterruptedException e) {
                            code = -1;
                        }
                        events.add(new Event(this, null, code));
                    }
                });
            }
        }

        private synchronized void keep(String line) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }

        synchronized String tail() {
            return tail.isEmpty() ? "" : "; its last output:\n    " + String.join("\n    ", tail);
        }
    }
}
