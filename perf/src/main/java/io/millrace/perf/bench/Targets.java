package io.millrace.perf.bench;

import io.millrace.perf.waiting.WaitProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The foundation's performance targets, as ratios between rows of one run (medians side by side, never
 * absolute figures): 64 B SPSC against the bare fixed-slot probe, the 64 B round-trip p50 against the
 * cache-line round trip, 64 KiB SPSC against single-thread copy bandwidth, and the CPU of an idle blocked
 * consumer.
 *
 * <p>On this kind of machine (two vCPUs whose placement on the host changes while a run goes on) the probe and the
 * system it is compared with can be measured minutes apart in different phases: the table's ratio then says more
 * about the phase than about the code. So the ratios to a probe are also measured in {@link Pair adjacent pairs}:
 * short trials, the system between two trials of the probe, in rounds. A pair counts only when the probe gave the
 * same figure, within {@link #STEADY_SPREAD}, before and after the system's trial (no phase change in between); the
 * system is then compared with the geometric mean of the two. Rounds go on until {@link #ROUNDS} pairs of each
 * target counted, or {@link #MAX_ROUNDS} rounds ran, and the target is judged on the median of those that counted.
 */
final class Targets {
    private Targets() {
    }

    /** Steady adjacent pairs that {@code bench} wants for each target. */
    static final int ROUNDS = 5;
    /** Rounds of adjacent pairs after which {@code bench} judges on the steady pairs it has, however few. */
    static final int MAX_ROUNDS = 10;
    /** The most the probe's figure may move, as a ratio, between the trials before and after a system's. */
    static final double STEADY_SPREAD = 1.25;

    /**
     * A target that compares a system's row with a row of the limit system at the same size: the probe of the same
     * scenario, or ({@code probeScenario} copy) the single-thread copy bandwidth.
     */
    record Pair(String what, String system, Scenario scenario, Scenario probeScenario, int size, double bound,
                boolean atMost) {
        /** The ratio of two rows: msgs/s over the probe's, or (round trips) p50 over the probe's; null if unknown. */
        Double ratio(Row row, Row limit) {
            Double mine = figure(row);
            Double probe = figure(limit);
            return mine == null || probe == null || probe <= 0 ? null : mine / probe;
        }

        /**
         * The adjacent pair of {@code row} between two trials of the probe; null when a figure is missing (a trial
         * failed).
         */
        Adjacent adjacent(Row before, Row row, Row after) {
            Double first = before == null ? null : figure(before);
            Double mine = row == null ? null : figure(row);
            Double last = after == null ? null : figure(after);
            if (first == null || mine == null || last == null || first <= 0 || last <= 0) {
                return null;
            }
            boolean steady = Math.max(first, last) / Math.min(first, last) <= STEADY_SPREAD;
            return new Adjacent(mine / Math.sqrt(first * last), steady);
        }

        /** The figure the target compares: msgs/s, or the p50 of a round trip. */
        private Double figure(Row row) {
            Summary summary = scenario == Scenario.PINGPONG ? row.p50ns() : row.msgsPerSec();
            return summary == null ? null : summary.median();
        }
    }

    /**
     * One adjacent pair: the system's figure over the geometric mean of the probe's before and after it, and whether
     * the probe was steady across it (only steady pairs count).
     */
    record Adjacent(double ratio, boolean steady) {
    }

    static final List<Pair> PAIRS = List.of(
            new Pair("spsc 64 B: millrace msgs/s / bare fixed-slot SPSC probe", Systems.MILLRACE, Scenario.SPSC,
                    Scenario.SPSC, 64, 0.6, false),
            new Pair("spsc 64 B: millrace-batch msgs/s / bare probe (both batch 64)", Systems.MILLRACE_BATCH,
                    Scenario.SPSC, Scenario.SPSC, 64, 0.6, false),
            new Pair("pingpong 64 B: millrace p50 / cache-line round trip p50", Systems.MILLRACE, Scenario.PINGPONG,
                    Scenario.PINGPONG, 64, 1.5, true),
            new Pair("spsc 64 KiB: millrace GiB/s / single-thread copy GiB/s", Systems.MILLRACE, Scenario.SPSC,
                    Scenario.COPY, 64 * 1024, 0.7, false));

    /**
     * One target: what is compared, the ratio of this run's table (null if it did not measure it), the ratios of
     * the steady adjacent pairs (empty when none ran), how many pairs were dropped as unsteady, the bound. The verdict
     * is on the steady pairs' median when there are any; with pairs measured but none steady there is none.
     */
    record Check(String what, Double table, List<Double> adjacent, int unsteady, double bound, boolean atMost) {
        Check(String what, Double table, double bound, boolean atMost) {
            this(what, table, List.of(), 0, bound, atMost);
        }

        Double ratio() {
            if (!adjacent.isEmpty()) {
                return Summary.of(adjacent).median();
            }
            return unsteady > 0 ? null : table;
        }

        boolean met() {
            Double ratio = ratio();
            return ratio != null && (atMost ? ratio <= bound : ratio >= bound);
        }

        String line() {
            Double ratio = ratio();
            boolean undecided = ratio == null && unsteady > 0;
            String measured = undecided ? "-" : ratio == null ? "not measured in this run"
                    : String.format("%.2f", ratio);
            String verdict = undecided ? "UNDECIDED" : ratio == null ? "" : met() ? "met" : "MISSED";
            String line = String.format("  %-55s %8s  (target %s %.2f)  %s", what, measured, atMost ? "<=" : ">=",
                    bound, verdict);
            String tableRatio = table == null ? "-" : String.format("%.2f", table);
            if (!adjacent.isEmpty()) {
                line += String.format("%n    the median of %d adjacent pairs: %s; the table's rows gave %s",
                        adjacent.size(), adjacent.stream().map(r -> String.format("%.2f", r))
                                .collect(Collectors.joining(" ")), tableRatio);
            }
            if (undecided) {
                line += String.format("%n    no steady adjacent pair: the probe moved in all %d; the table's rows gave %s",
                        unsteady, tableRatio);
            } else if (unsteady > 0) {
                line += String.format("%n    %d more pair(s) left out: the probe moved by more than %d %% across the "
                        + "system's trial", unsteady, Math.round((STEADY_SPREAD - 1) * 100));
            }
            return line;
        }
    }

    /** The checks, without adjacent pairs: judged on the table's rows. */
    static List<Check> evaluate(List<Row> rows, WaitProbe.Result waiting) {
        return evaluate(rows, waiting, Map.of());
    }

    /** The checks, with the {@code adjacent} pairs (by {@link Pair#what()}) where they were measured. */
    static List<Check> evaluate(List<Row> rows, WaitProbe.Result waiting, Map<String, List<Adjacent>> adjacent) {
        List<Check> checks = new ArrayList<>();
        for (Pair pair : PAIRS) {
            Double table = find(rows, pair.system(), pair.scenario(), pair.size())
                    .flatMap(row -> find(rows, Systems.LIMIT, pair.probeScenario(), pair.size())
                            .map(limit -> pair.ratio(row, limit))).orElse(null);
            List<Adjacent> pairs = adjacent.getOrDefault(pair.what(), List.of());
            List<Double> steady = pairs.stream().filter(Adjacent::steady).map(Adjacent::ratio).toList();
            checks.add(new Check(pair.what(), table, steady, pairs.size() - steady.size(), pair.bound(),
                    pair.atMost()));
        }
        checks.add(new Check("idle blocked consumer: % of one core", waiting == null ? null
                : waiting.idleThreadCpuPercent(), 1.0, true));
        return checks;
    }

    /** The pairs whose two rows this run's table has: those worth measuring side by side. */
    static List<Pair> measurable(List<Row> rows) {
        return PAIRS.stream().filter(p -> find(rows, p.system(), p.scenario(), p.size()).isPresent()
                && find(rows, Systems.LIMIT, p.probeScenario(), p.size()).isPresent()).toList();
    }

    static String format(List<Check> checks) {
        StringBuilder sb = new StringBuilder("Targets of the foundation (ratios between rows of this run):\n");
        checks.forEach(c -> sb.append(c.line()).append('\n'));
        return sb.toString();
    }

    private static Optional<Row> find(List<Row> rows, String system, Scenario scenario, int size) {
        Predicate<Row> match = r -> r.system().equals(system) && r.scenario() == scenario && r.size() == size;
        return rows.stream().filter(match).findFirst();
    }
}
