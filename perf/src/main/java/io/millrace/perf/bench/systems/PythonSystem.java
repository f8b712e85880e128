package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.MachineInfo;
import io.millrace.perf.bench.Mapped;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Stage;
import io.millrace.perf.bench.TrialSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Python's {@code multiprocessing.Pipe} ({@code python-pipe}) and {@code multiprocessing.Queue}
 * ({@code python-queue}), run by {@code mp_bench.py} (a resource of this jar, written into the trial directory
 * and run with {@code python3}). The Python process is the consumer or pinger and forks the producers or the
 * ponger, so every scenario crosses processes; it speaks the same READY/GO/RESULT protocol as Java children.
 */
public final class PythonSystem implements BenchSystem {

    private static final String SCRIPT = "mp_bench.py";
    private static volatile String pythonVersion;
    private static volatile boolean probed;

    private final String kind;

    private PythonSystem(String kind) {
        this.kind = kind;
    }

    public static PythonSystem pipe() {
        return new PythonSystem("pipe");
    }

    public static PythonSystem queue() {
        return new PythonSystem("queue");
    }

    @Override
    public String name() {
        return "python-" + kind;
    }

    @Override
    public String description() {
        return "python3 " + (kind.equals("pipe")
                ? "multiprocessing.Pipe, send_bytes/recv_bytes (mpsc3: one pipe per producer, connection.wait)"
                : "multiprocessing.Queue, put/get of bytes (bounded to 4 MiB of messages, at most 1024)")
                + "; forked worker processes, blocking reads";
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        if (!probed) {
            pythonVersion = MachineInfo.pythonVersion();
            probed = true;
        }
        return pythonVersion == null ? Optional.of("no python3 on PATH") : Optional.empty();
    }

    @Override
    public List<Stage> stages(TrialSpec trial) {
        Path script = trial.dir().resolve(SCRIPT);
        try (InputStream in = PythonSystem.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is missing from the perf jar");
            }
            Files.copy(in, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int slots = Math.max(2, Math.min(1024, Mapped.RING_BYTES / trial.size()));
        List<String> command = List.of("python3", script.toString(), kind, trial.scenario().id(),
                Integer.toString(trial.size()), Integer.toString(trial.warmupMs()), Integer.toString(trial.repMs()),
                Integer.toString(trial.reps()), Integer.toString(slots));
        return List.of(new Stage(List.of(new Stage.Launch(trial.scenario().measuringRole(), 0, command, true)), false));
    }

    @Override
    public void run(RoleContext ctx) {
        throw new UnsupportedOperationException("python roles run in python3, not in a Java child");
    }
}
