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
 * about the phase than about the code. So the ratios to a probe are also measured in {@link Pair adjacent pairs}
 * (short trials, the probe right before the system, a few rounds), and the target is judged on their median.
 */
final class Targets {
    private Targets() {
    }

    /** Rounds of adjacent pairs that {@code bench} runs for the targets. */
    static final int ROUNDS = 5;

    /**
     * A target that compares a system's row with a row of the limit system at the same size: the probe of the same
     * scenario, or ({@code probeScenario} copy) the single-thread copy bandwidth.
     */
    record Pair(String what, String system, Scenario scenario, Scenario probeScenario, int size, double bound,
                boolean atMost) {
        /** The ratio of two rows: msgs/s over the probe's, or (round trips) p50 over the probe's; null if unknown. */
        Double ratio(Row row, Row limit) {
            Summary mine = scenario == Scenario.PINGPONG ? row.p50ns() : row.msgsPerSec();
            Summary probe = scenario == Scenario.PINGPONG ? limit.p50ns() : limit.msgsPerSec();
            return mine == null || probe == null || probe.median() <= 0 ? null : mine.median() / probe.median();
        }
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
     * the adjacent pairs (empty when none ran), the bound. The verdict is on the pairs' median when there are any.
     */
    record Check(String what, Double table, List<Double> adjacent, double bound, boolean atMost) {
        Check(String what, Double table, double bound, boolean atMost) {
            this(what, table, List.of(), bound, atMost);
        }

        Double ratio() {
            return adjacent.isEmpty() ? table : Double.valueOf(Summary.of(adjacent).median());
        }

        boolean met() {
            Double ratio = ratio();
            return ratio != null && (atMost ? ratio <= bound : ratio >= bound);
        }

        String line() {
            Double ratio = ratio();
            String measured = ratio == null ? "not measured in this run" : String.format("%.2f", ratio);
            String verdict = ratio == null ? "" : met() ? "met" : "MISSED";
            String line = String.format("  %-55s %8s  (target %s %.2f)  %s", what, measured, atMost ? "<=" : ">=",
                    bound, verdict);
            if (!adjacent.isEmpty()) {
                line += String.format("%n    the median of %d adjacent pairs: %s; the table's rows gave %s",
                        adjacent.size(), adjacent.stream().map(r -> String.format("%.2f", r))
                                .collect(Collectors.joining(" ")), table == null ? "-" : String.format("%.2f", table));
            }
            return line;
        }
    }

    /** The checks, with {@code adjacent} ratios (by {@link Pair#what()}) where pairs were measured. */
    static List<Check> evaluate(List<Row> rows, WaitProbe.Result waiting, Map<String, List<Double>> adjacent) {
        List<Check> checks = new ArrayList<>();
        for (Pair pair : PAIRS) {
            Double table = find(rows, pair.system(), pair.scenario(), pair.size())
                    .flatMap(row -> find(rows, Systems.LIMIT, pair.probeScenario(), pair.size())
                            .map(limit -> pair.ratio(row, limit))).orElse(null);
            checks.add(new Check(pair.what(), table, adjacent.getOrDefault(pair.what(), List.of()), pair.bound(),
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
