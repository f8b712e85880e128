package io.millrace.perf.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import io.millrace.perf.waiting.WaitProbe;
import io.millrace.shm.ShmDirectory;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bench}: the side-by-side comparison of Millrace, its peers and the machine's limits. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
            "Runs every system on every scenario and message size, each role in its own process, and prints a table.",
            "Each figure is the median of the repetitions, with the spread (min-max)."},
        footer = {"", "Examples:",
            "  ./millrace bench --quick",
            "  ./millrace bench --systems millrace,agrona,limit --sizes 64 --json rows.json"})
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "A smoke run: short repetitions, no adjacent pairs for the targets "
            + "(finishes within 3 minutes).")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as a JSON array to FILE.")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write the table, machine, JDK and command as Markdown (perf/RESULTS.md).")
    Path markdown;

    @Option(names = "--systems", split = ",", paramLabel = "NAME", converter = SystemConverter.class,
            description = "Systems to run (default: all): limit, millrace, millrace-batch, agrona, aeron, chronicle, pipe, "
                    + "uds, tcp, "
                    + "python-pipe, python-queue; for the actor, flux and pool scenarios also ring, pekko, "
                    + "pekko-artery, pekko-aeron, rsocket-tcp, rsocket-local, python-pool, python-executor; for the "
                    + "shared-state scenarios chronicle-map, chm, python-manager, python-value.")
    List<BenchSystem> systems;

    @Option(names = "--scenarios", split = ",", paramLabel = "NAME", converter = ScenarioConverter.class,
            description = "Scenarios to run (default: spsc,mpsc3,pingpong; copy comes with the limit system). "
                    + "Only when named: actor-tell, actor-fanin, actor-ask, actor-local (actors), flux-stream, "
                    + "flux-request1 (Flux bridge), task-dispatch, parallel-map, generator-stream, worker-start "
                    + "(process pools), watch-latency, restart, join (actor lifecycle), struct-inc, map-get, map-put, "
                    + "tx-commit (shared state), each on the systems that play it.")
    List<Scenario> scenarios;

    @Option(names = "--sizes", split = ",", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Message sizes in bytes (default: 64,1KiB,64KiB; actor scenarios, flux-request1 and "
                    + "generator-stream: 64; flux-stream: 64,1KiB); suffixes k/KiB, m/MiB. Not for task-dispatch, "
                    + "parallel-map, worker-start, struct-inc, tx-commit and the lifecycle scenarios, whose size "
                    + "column is a variant (perf/README.md).")
    List<Integer> sizes;

    @Option(names = "--reps", paramLabel = "N", description = "Reported repetitions per row, at least 3 "
            + "(default: 5, --quick: 3).")
    Integer reps;

    @Option(names = "--rep-ms", paramLabel = "MS", description = "Length of one repetition (default: 1000, --quick: 100).")
    Integer repMs;

    @Option(names = "--warmup-ms", paramLabel = "MS",
            description = "Warm-up before the repetitions, in the same processes (default: 1000, --quick: 150).")
    Integer warmupMs;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the run's files go (default: /dev/shm, else java.io.tmpdir); all removed at the end.")
    Path workDir;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--verbose", description = "Echo the children's own output on stderr.")
    boolean verbose;

    /** The arguments as typed, for the "command" line of RESULTS.md. */
    static String[] originalArgs = new String[0];

    @Override
    public Integer call() throws IOException {
        Harness.Config config = config();
        Report report = Harness.run(config);
        PrintWriter out = spec.commandLine().getOut();
        out.print(TableFormatter.format(report));
        out.flush();
        WaitProbe.Result waiting = null;
        if (config.systems().stream().anyMatch(s -> s.name().equals(Systems.MILLRACE))) {
            waiting = waitProbe(config.workDir(), quick);
            out.println();
            out.println("Waiting (millrace, blocking strategy: consumer asleep on a futex in shared memory):");
            out.println("  " + waiting);
        }
        List<Targets.Pair> pairs = quick ? List.of() : Targets.measurable(report.rows());
        Harness.AdjacentRun adjacent = new Harness.AdjacentRun(Map.of(), 0);
        if (!pairs.isEmpty()) {
            out.println();
            out.println("Targets: measuring " + pairs.size() + " ratio(s) to the probe again in adjacent short trials "
                    + "(each system between two of its probe; " + Targets.ROUNDS + " steady pairs each, at most "
                    + Targets.MAX_ROUNDS + " rounds)...");
            out.flush();
            adjacent = Harness.adjacentPairs(config, pairs, Targets.ROUNDS, Targets.MAX_ROUNDS);
        }
        String targets = Targets.format(Targets.evaluate(report.rows(), waiting, adjacent.pairs()));
        String scenarioTargets = ScenarioTargets.format(ScenarioTargets.evaluate(report.rows()));
        if (!scenarioTargets.isEmpty()) {
            targets += "\n" + scenarioTargets;
        }
        out.println();
        out.print(targets);
        out.flush();
        if (json != null) {
            JsonWriter.write(report.rows(), json);
        }
        if (markdown != null) {
            Files.writeString(markdown, markdown(report, waiting, targets), StandardCharsets.UTF_8);
        }
        long failed = report.omissions().stream().filter(o -> o.reason().startsWith("trial failed")).count();
        if (failed > 0) {
            spec.commandLine().getErr().println("bench: " + failed + " row(s) failed; see 'Rows left out'.");
            return 1;
        }
        if (adjacent.failed() > 0) {
            spec.commandLine().getErr().println("bench: " + adjacent.failed() + " adjacent pair(s) for the targets "
                    + "failed; their targets are judged on the pairs that did not.");
            return 1;
        }
        return 0;
    }

    Harness.Config config() {
        int r = reps != null ? reps : quick ? 3 : 5;
        if (r < 3) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--reps': " + r + " (each figure is a median of at least 3 repetitions)");
        }
        int rep = repMs != null ? repMs : quick ? 100 : 1000;
        int warm = warmupMs != null ? warmupMs : quick ? 150 : 1000;
        if (rep < 1 || warm < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--rep-ms' or '--warmup-ms': rep-ms=" + rep + " warmup-ms=" + warm);
        }
        List<BenchSystem> chosen = new ArrayList<>(systems == null ? Systems.all() : new LinkedHashSet<>(systems));
        chosen.sort(Comparator.comparingInt(s -> Systems.all().indexOf(s)));
        List<Scenario> scens = scenarios == null ? Scenario.DEFAULTS
                : List.copyOf(new LinkedHashSet<>(scenarios));
        List<Integer> sz = sizes == null ? List.of(64, 1024, 64 * 1024) : List.copyOf(new LinkedHashSet<>(sizes));
        Path dir = workDir != null ? workDir : defaultWorkDir();
        String command = "./millrace " + String.join(" ", originalArgs.length > 0 ? originalArgs : new String[] {"bench"});
        return new Harness.Config(chosen, scens, sz, warm, rep, r, dir, !noProgress, verbose, command, sizes != null);
    }

    static Path defaultWorkDir() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Runs {@link WaitProbe} in a private directory {@code millrace-wait-*} under the work directory (its region
     * and its futex file), owned by a {@link Reaper}: removed afterwards, and by the reaper's shutdown hook, with the
     * probe's child JVM, when the run is killed during the probe.
     */
    static WaitProbe.Result waitProbe(Path workDir, boolean quick) {
        try (Reaper reaper = new Reaper()) {
            Path base = reaper.createTempDirectory(workDir, WAIT_DIR_PREFIX);
            return WaitProbe.run(ShmDirectory.at(base), base, quick ? 2 : 10, quick ? 100 : 500);
        } catch (Exception e) {
            throw new IllegalStateException("the wait probe failed: " + e, e);
        }
    }

    /** The wait probe's directory under the work directory: this prefix and a random suffix. */
    static final String WAIT_DIR_PREFIX = "millrace-wait-";

    /** How to read the figures of a run on a machine like this one; at the top of RESULTS.md. */
    static final String READING = "On a small VM, cross-core figures move between phases of seconds to minutes as "
            + "the host places the vCPUs (perf/README.md, \"Targets, from adjacent pairs\"): a row and the probe "
            + "it is compared with may fall in different phases, and the spread [min-max] shows when a row itself "
            + "straddled two. The targets against the probe are judged on adjacent pairs measured for that "
            + "purpose: each system between two trials of its probe, counted only when the two agree within 25 %.";

    private static String markdown(Report report, WaitProbe.Result waiting, String targets) {
        StringBuilder sb = new StringBuilder("# Millrace perf: side-by-side results\n\n");
        sb.append("Produced by one full run of\n\n```\n").append(report.command()).append("\n```\n\n");
        sb.append("on ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(".\n\n");
        sb.append(READING).append("\n\n");
        sb.append("## Machine and JDK\n\n");
        report.machine().describe().forEach(l -> sb.append("- ").append(l).append('\n'));
        sb.append("\n## Results\n\n```\n").append(TableFormatter.format(report)).append("```\n");
        if (waiting != null) {
            sb.append("\n## Waiting\n\nThe blocking strategy, measured by `WaitProbe` in the same run (a child JVM ")
                    .append("asleep on a futex in shared memory; idle CPU over 10 s, then the delay from a publish ")
                    .append("by this process to the child having the message, beside a bare futex wake-up between the ")
                    .append("same processes):\n\n```\n").append(waiting)
                    .append("\n```\n");
        }
        sb.append("\n## Targets\n\n```\n").append(targets).append("```\n");
        return sb.toString();
    }

    static final class SystemConverter implements CommandLine.ITypeConverter<BenchSystem> {
        @Override
        public BenchSystem convert(String value) {
            return Systems.byName(value.strip()).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + value + "' is not a system; known: " + String.join(",", Systems.names())));
        }
    }

    static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.byId(value.strip()).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "'" + value + "' is not a scenario; known: "
                            + String.join(",", Arrays.stream(Scenario.values()).map(Scenario::id).toList())));
        }
    }

    static final class SizeConverter implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return Sizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
