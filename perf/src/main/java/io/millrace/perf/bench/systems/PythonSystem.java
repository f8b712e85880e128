package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.MachineInfo;
import io.millrace.perf.bench.Mapped;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Stage;
import io.millrace.perf.bench.TrialSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Python's {@code multiprocessing.Pipe} ({@code python-pipe}) and {@code multiprocessing.Queue}
 * ({@code python-queue}), and its process pools {@code multiprocessing.Pool} ({@code python-pool}) and
 * {@code concurrent.futures.ProcessPoolExecutor} ({@code python-executor}), run by {@code mp_bench.py} (a resource
 * of this jar, written into the trial directory and run with {@code python3}). The Python process is the consumer,
 * the pinger or the pool's parent and forks the producers, the ponger or the workers, so every scenario crosses
 * processes; it speaks the same READY/GO/RESULT protocol as Java children.
 *
 * <p>Pipes and queues play the transport scenarios and {@code generator-stream} (a forked child's generator feeding
 * the pipe or the queue, the parent iterating); pools play {@code task-dispatch} ({@code Pool.apply} /
 * {@code submit(...).result()} on a warm pool of {@value #POOL_WORKERS} forked workers), {@code parallel-map}
 * ({@code map} of {@code x + 1} on the same pool) and {@code worker-start} (a new pool of one worker, fork or spawn,
 * to its first task's result).
 */
public final class PythonSystem implements BenchSystem {

    private static final String SCRIPT = "mp_bench.py";
    /** The shared-state peers' script (kinds value and manager); it imports mp_bench.py's protocol helpers. */
    private static final String STATE_SCRIPT = "state_bench.py";
    /** Worker processes of the pools in task-dispatch and parallel-map (mp_bench.py's POOL_WORKERS). */
    static final int POOL_WORKERS = 2;
    private static final Set<Scenario> PIPE_SCENARIOS = union(TRANSPORT, Set.of(Scenario.GENERATOR_STREAM));
    private static final Set<Scenario> POOL_SCENARIOS =
            Set.of(Scenario.TASK_DISPATCH, Scenario.PARALLEL_MAP, Scenario.WORKER_START);
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

    /** {@code python-pool}: {@code multiprocessing.Pool}. */
    public static PythonSystem pool() {
        return new PythonSystem("pool");
    }

    /** {@code python-executor}: {@code concurrent.futures.ProcessPoolExecutor}. */
    public static PythonSystem executor() {
        return new PythonSystem("executor");
    }

    /** {@code python-value}: {@code multiprocessing.Value('q')} incremented under its lock (struct-inc). */
    public static PythonSystem value() {
        return new PythonSystem("value");
    }

    /** {@code python-manager}: {@code multiprocessing.Manager().dict()} (map-get, map-put). */
    public static PythonSystem manager() {
        return new PythonSystem("manager");
    }

    private boolean isState() {
        return kind.equals("value") || kind.equals("manager");
    }

    private boolean isPool() {
        return kind.equals("pool") || kind.equals("executor");
    }

    private static Set<Scenario> union(Set<Scenario> a, Set<Scenario> b) {
        EnumSet<Scenario> all = EnumSet.copyOf(a);
        all.addAll(b);
        return Collections.unmodifiableSet(all);
    }

    @Override
    public String name() {
        return "python-" + kind;
    }

    @Override
    public String description() {
        return "python3 " + switch (kind) {
            case "pipe" -> "multiprocessing.Pipe, send_bytes/recv_bytes (mpsc3: one pipe per producer, "
                    + "connection.wait); forked worker processes, blocking reads";
            case "queue" -> "multiprocessing.Queue, put/get of bytes (bounded to 4 MiB of messages, at most 1024); "
                    + "forked worker processes, blocking reads";
            case "value" -> "multiprocessing.Value('q') += 1 under its get_lock() (2 procs: a forked second "
                    + "incrementer of the same Value)";
            case "manager" -> "multiprocessing.Manager().dict() of " + Scenario.MAP_ENTRIES + " int keys: d[k] / "
                    + "d[k] = v of random keys through the manager process, each timed alone";
            case "pool" -> "multiprocessing.Pool(" + POOL_WORKERS + "), fork: apply (task-dispatch), map "
                    + "(parallel-map); worker-start: Pool(1) with fork or spawn to its first apply";
            default -> "concurrent.futures.ProcessPoolExecutor(" + POOL_WORKERS + "), fork: submit().result() "
                    + "(task-dispatch), map (parallel-map; its default chunksize is 1); worker-start: an executor "
                    + "of 1 worker with fork or spawn to its first result";
        };
    }

    @Override
    public Set<Scenario> scenarios() {
        return switch (kind) {
            case "value" -> Set.of(Scenario.STRUCT_INC);
            case "manager" -> Set.of(Scenario.MAP_GET, Scenario.MAP_PUT);
            default -> isPool() ? POOL_SCENARIOS : PIPE_SCENARIOS;
        };
    }

    /** ProcessPoolExecutor.map's default chunksize is 1: its default row is its chunksize-1 measurement. */
    @Override
    public Measurement measurement(Scenario scenario, int size) {
        if (kind.equals("executor") && scenario == Scenario.PARALLEL_MAP && size == Scenario.DEFAULT_CHUNKSIZE) {
            return new Measurement(name(), scenario, 1);
        }
        return BenchSystem.super.measurement(scenario, size);
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
        Path script = copy(trial, SCRIPT);
        if (isState()) {
            List<String> command = List.of("python3", copy(trial, STATE_SCRIPT).toString(), kind,
                    trial.scenario().id(), Integer.toString(trial.size()), Integer.toString(trial.warmupMs()),
                    Integer.toString(trial.repMs()), Integer.toString(trial.reps()),
                    Integer.toString(Scenario.MAP_ENTRIES));
            return List.of(new Stage(List.of(new Stage.Launch(Role.DRIVER, 0, command, true)), false));
        }
        int slots = Math.max(2, Math.min(1024, Mapped.RING_BYTES / Math.max(1, trial.size())));
        List<String> command = List.of("python3", script.toString(), kind, trial.scenario().id(),
                Integer.toString(trial.size()), Integer.toString(trial.warmupMs()), Integer.toString(trial.repMs()),
                Integer.toString(trial.reps()), Integer.toString(slots));
        return List.of(new Stage(List.of(new Stage.Launch(trial.scenario().measuringRole(), 0, command, true)), false));
    }

    private static Path copy(TrialSpec trial, String name) {
        Path script = trial.dir().resolve(name);
        try (InputStream in = PythonSystem.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the perf jar");
            }
            Files.copy(in, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    @Override
    public void run(RoleContext ctx) {
        throw new UnsupportedOperationException("python roles run in python3, not in a Java child");
    }
}
