package io.millrace.perf.bench;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the comparison: every selected system on every selected scenario and size, one trial per distinct
 * measurement, each trial in fresh child processes under a private directory of the run's work directory;
 * then builds the rows and their ratios.
 */
public final class Harness {

    /**
     * What to run.
     *
     * @param workDir  where the run's directory {@code millrace-bench-<pid>} is created (default /dev/shm)
     * @param progress show a progress bar on stderr
     * @param verbose  echo children's own output on stderr
     */
    public record Config(List<BenchSystem> systems, List<Scenario> scenarios, List<Integer> sizes,
                         int warmupMs, int repMs, int reps, Path workDir, boolean progress, boolean verbose,
                         String command, boolean explicitSizes) {

        /** A configuration whose sizes were named by the user (they apply to every byte-sized scenario). */
        public Config(List<BenchSystem> systems, List<Scenario> scenarios, List<Integer> sizes, int warmupMs,
                      int repMs, int reps, Path workDir, boolean progress, boolean verbose, String command) {
            this(systems, scenarios, sizes, warmupMs, repMs, reps, workDir, progress, verbose, command, true);
        }
    }

    /** The run's directory under the work directory is this prefix and the harness's pid. */
    static final String RUN_DIR_PREFIX = "millrace-bench-";

    private Harness() {
    }

    /**
     * Deletes run directories left by a harness that was killed with SIGKILL (no shutdown hook ran): those whose
     * pid is no longer alive. Its children exit by themselves when they notice their parent is gone.
     */
    static void removeLeftovers(Path workDir) throws IOException {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        try (var dirs = Files.list(workDir)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().startsWith(RUN_DIR_PREFIX)).toList()) {
                String pid = d.getFileName().toString().substring(RUN_DIR_PREFIX.length());
                boolean dead;
                try {
                    dead = ProcessHandle.of(Long.parseLong(pid)).map(h -> !h.isAlive()).orElse(true);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (dead) {
                    Reaper.deleteTree(d);
                    System.err.println("bench: removed " + d + ", left by a run that was killed");
                }
            }
        }
    }

    /** A row to measure: which system, scenario and size, and the measurement (trial) that gives it. */
    record Planned(BenchSystem system, Scenario scenario, int size, BenchSystem.Measurement measurement) { }

    /** The rows of a run and the rows left out (with why), and the distinct trials that give the rows. */
    record Plan(List<Planned> planned, List<Omission> omissions, Map<BenchSystem.Measurement, BenchSystem> toMeasure) {
    }

    /**
     * Which rows {@code config} asks for. Every selected scenario at each of its sizes, for every selected system,
     * except: {@code copy} for systems other than {@code limit}, and a scenario for a system that plays no scenario
     * of its family (a ring peer has no actor rows, Pekko no spsc rows: neither is a row left out). A system that
     * plays the family but not this scenario, or not at this size, gives a row left out with the reason.
     */
    static Plan plan(Config config) {
        List<Scenario> scenarios = new ArrayList<>(config.scenarios());
        boolean limitSelected = config.systems().stream().anyMatch(s -> Systems.LIMIT.equals(s.name()));
        if (limitSelected && scenarios.stream().anyMatch(Scenario::isStream) && !scenarios.contains(Scenario.COPY)) {
            scenarios.add(Scenario.COPY); // the x copy column needs the copy bandwidth at each size
        }
        List<Planned> planned = new ArrayList<>();
        List<Omission> omissions = new ArrayList<>();
        Map<BenchSystem.Measurement, BenchSystem> toMeasure = new LinkedHashMap<>();
        for (Scenario scenario : scenarios) {
            for (int size : scenario.sizes(config.sizes(), config.explicitSizes())) {
                for (BenchSystem system : config.systems()) {
                    if (scenario == Scenario.COPY && !Systems.LIMIT.equals(system.name())) {
                        continue;
                    }
                    if (system.scenarios().stream().noneMatch(s -> s.family() == scenario.family())) {
                        continue;
                    }
                    var reason = system.omission(scenario, size);
                    if (reason.isPresent()) {
                        omissions.add(new Omission(system.name(), scenario, size, reason.get()));
                        continue;
                    }
                    BenchSystem.Measurement m = system.measurement(scenario, size);
                    planned.add(new Planned(system, scenario, size, m));
                    toMeasure.putIfAbsent(m, system);
                }
            }
        }
        return new Plan(planned, omissions, toMeasure);
    }

    public static Report run(Config config) throws IOException {
        String loadAtStart = MachineInfo.loadAverage();
        Plan plan = plan(config);
        List<Planned> planned = plan.planned();
        List<Omission> omissions = new ArrayList<>(plan.omissions());
        Map<BenchSystem.Measurement, BenchSystem> toMeasure = plan.toMeasure();

        Map<BenchSystem.Measurement, TrialRunner.Outcome> outcomes = new LinkedHashMap<>();
        inRunDirectory(config, (root, runner) -> {
            try (ProgressBar bar = progressBar(config.progress(), toMeasure.size())) {
                int n = 0;
                for (var entry : toMeasure.entrySet()) {
                    BenchSystem.Measurement m = entry.getKey();
                    String label = m.system() + " " + m.scenario().id() + " " + m.scenario().formatSize(m.size());
                    if (bar != null) {
                        bar.setExtraMessage(label);
                    }
                    Path dir = root.resolve(String.format("%03d-%s-%s-%d", n++, m.system(), m.scenario().id(), m.size()));
                    TrialSpec spec = new TrialSpec(m.system(), m.scenario(), m.size(),
                            config.warmupMs(), config.repMs(), config.reps(), dir);
                    TrialRunner.Outcome outcome = runner.run(entry.getValue(), spec);
                    outcomes.put(m, outcome);
                    if (!outcome.ok()) {
                        String first = outcome.failure().lines().findFirst().orElse("");
                        String msg = "bench: " + label + " failed: " + (config.verbose() ? outcome.failure() : first);
                        System.err.println((bar != null ? "\r" : "") + msg);
                    }
                    if (bar != null) {
                        bar.step();
                    }
                }
            }
        });

        List<Row> rows = new ArrayList<>();
        for (Planned p : planned) {
            TrialRunner.Outcome outcome = outcomes.get(p.measurement());
            if (!outcome.ok()) {
                omissions.add(new Omission(p.system().name(), p.scenario(), p.size(), "trial failed: "
                        + outcome.failure().lines().findFirst().orElse("")));
                continue;
            }
            BenchSystem.Measurement own = new BenchSystem.Measurement(p.system().name(), p.scenario(), p.size());
            String note = own.equals(p.measurement()) ? null
                    : "same measurement as " + p.measurement().scenario().id() + " "
                            + p.measurement().scenario().formatSize(p.measurement().size());
            rows.add(Row.of(p.system().name(), p.scenario(), p.size(), outcome.results(), note));
        }
        List<BenchSystem> used = config.systems().stream()
                .filter(s -> rows.stream().anyMatch(r -> r.system().equals(s.name()))
                        || omissions.stream().anyMatch(o -> o.system().equals(s.name())))
                .toList();
        return new Report(Ratios.apply(rows), omissions, used, config.warmupMs(), config.repMs(), config.reps(),
                MachineInfo.detect(loadAtStart), config.command());
    }

    /**
     * Measures the {@code pairs} side by side for the targets (see {@link Targets}): in each round, each pair that
     * still wants steady ratios runs its system between two short trials of its probe (a probe trial right after
     * another serves as the next pair's first), until every pair has {@code wanted} steady ratios or
     * {@code maxRounds} rounds ran. Each trial is at most 3 repetitions of 500 ms after a 500 ms warm-up. A pair
     * whose trial failed gives no ratio, and the failure is counted.
     */
    static AdjacentRun adjacentPairs(Config config, List<Targets.Pair> pairs, int wanted, int maxRounds)
            throws IOException {
        Map<String, List<Targets.Adjacent>> measured = new LinkedHashMap<>();
        int[] failed = {0};
        BenchSystem limit = config.systems().stream().filter(s -> Systems.LIMIT.equals(s.name())).findFirst()
                .orElse(null);
        if (limit == null || pairs.isEmpty()) {
            return new AdjacentRun(measured, 0);
        }
        int warmup = Math.min(config.warmupMs(), 500);
        int repMs = Math.min(config.repMs(), 500);
        inRunDirectory(config, (root, runner) -> {
            int n = 0;
            for (int round = 0; round < maxRounds; round++) {
                List<Targets.Pair> due = pairs.stream().filter(p -> measured.getOrDefault(p.what(), List.of())
                        .stream().filter(Targets.Adjacent::steady).count() < wanted).toList();
                if (due.isEmpty()) {
                    break;
                }
                String lastProbe = null;
                Row last = null;
                for (Targets.Pair pair : due) {
                    BenchSystem system = config.systems().stream().filter(s -> s.name().equals(pair.system()))
                            .findFirst().orElseThrow();
                    String key = pair.probeScenario().id() + "-" + pair.size();
                    Row before = key.equals(lastProbe) ? last : trialRow(runner, limit, pair.probeScenario(),
                            pair.size(), root.resolve("adjacent-" + n++), warmup, repMs);
                    Row row = trialRow(runner, system, pair.scenario(), pair.size(), root.resolve("adjacent-" + n++),
                            warmup, repMs);
                    Row after = trialRow(runner, limit, pair.probeScenario(), pair.size(),
                            root.resolve("adjacent-" + n++), warmup, repMs);
                    lastProbe = key;
                    last = after;
                    Targets.Adjacent adjacent = pair.adjacent(before, row, after);
                    if (adjacent != null) {
                        measured.computeIfAbsent(pair.what(), k -> new ArrayList<>()).add(adjacent);
                    } else {
                        failed[0]++;
                    }
                }
            }
        });
        return new AdjacentRun(measured, failed[0]);
    }

    /** The adjacent pairs measured, by target, and how many pairs gave none (a trial failed). */
    record AdjacentRun(Map<String, List<Targets.Adjacent>> pairs, int failed) {
    }

    /** One short trial of {@code system} at {@code scenario} and {@code size}, as a row; null if it failed. */
    private static Row trialRow(TrialRunner runner, BenchSystem system, Scenario scenario, int size, Path dir,
                                int warmupMs, int repMs) {
        TrialRunner.Outcome outcome = runner.run(system, new TrialSpec(system.name(), scenario, size, warmupMs, repMs,
                3, dir));
        if (!outcome.ok()) {
            System.err.println("bench: adjacent " + system.name() + " " + scenario.id() + " " + Sizes.format(size)
                    + " failed: " + outcome.failure().lines().findFirst().orElse(""));
            return null;
        }
        return Row.of(system.name(), scenario, size, outcome.results(), null);
    }

    /** What runs trials: given the run's directory (removed at the end, with every process) and a runner. */
    @FunctionalInterface
    private interface Trials {
        void run(Path root, TrialRunner runner) throws IOException;
    }

    private static void inRunDirectory(Config config, Trials trials) throws IOException {
        try (Reaper reaper = new Reaper()) {
            removeLeftovers(config.workDir());
            Path root = config.workDir().resolve(RUN_DIR_PREFIX + ProcessHandle.current().pid());
            reaper.createDirectories(root);
            trials.run(root, new TrialRunner(reaper, config.verbose() ? System.err : null));
        }
    }

    private static ProgressBar progressBar(boolean show, int trials) {
        if (!show) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("bench").setInitialMax(trials)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true), 100))
                .build();
    }
}
