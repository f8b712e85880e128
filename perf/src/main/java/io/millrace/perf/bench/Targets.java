package io.millrace.perf.bench;

import io.millrace.perf.waiting.WaitProbe;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The foundation's performance targets, as ratios between rows of one run (medians side by side, never
 * absolute figures): 64 B SPSC against the bare fixed-slot probe, the 64 B round-trip p50 against the
 * cache-line round trip, 64 KiB SPSC against single-thread copy bandwidth, and the CPU of an idle blocked
 * consumer.
 */
final class Targets {
    private Targets() {
    }

    /** One target: what is compared, the ratio this run measured (null if it did not), the bound. */
    record Check(String what, Double ratio, double bound, boolean atMost) {
        boolean met() {
            return ratio != null && (atMost ? ratio <= bound : ratio >= bound);
        }

        String line() {
            String measured = ratio == null ? "not measured in this run" : String.format("%.2f", ratio);
            String verdict = ratio == null ? "" : met() ? "met" : "MISSED";
            return String.format("  %-55s %8s  (target %s %.2f)  %s", what, measured, atMost ? "<=" : ">=", bound,
                    verdict);
        }
    }

    static List<Check> evaluate(List<Row> rows, WaitProbe.Result waiting) {
        List<Check> checks = new ArrayList<>();
        Double spsc = find(rows, Systems.MILLRACE, Scenario.SPSC, 64).map(Row::ratioToLimit).orElse(null);
        checks.add(new Check("spsc 64 B: millrace msgs/s / bare fixed-slot SPSC probe", spsc, 0.6, false));
        Double batched = find(rows, Systems.MILLRACE_BATCH, Scenario.SPSC, 64).map(Row::ratioToLimit).orElse(null);
        checks.add(new Check("spsc 64 B: millrace-batch msgs/s / bare probe (both batch 64)", batched, 0.6, false));
        Double pingpong = find(rows, Systems.MILLRACE, Scenario.PINGPONG, 64).flatMap(m ->
                find(rows, Systems.LIMIT, Scenario.PINGPONG, 64).filter(l -> m.p50ns() != null && l.p50ns() != null)
                        .map(l -> m.p50ns().median() / l.p50ns().median())).orElse(null);
        checks.add(new Check("pingpong 64 B: millrace p50 / cache-line round trip p50", pingpong, 1.5, true));
        Double copy = find(rows, Systems.MILLRACE, Scenario.SPSC, 64 * 1024).map(Row::ratioToCopy).orElse(null);
        checks.add(new Check("spsc 64 KiB: millrace GiB/s / single-thread copy GiB/s", copy, 0.7, false));
        checks.add(new Check("idle blocked consumer: % of one core", waiting == null ? null
                : waiting.idleThreadCpuPercent(), 1.0, true));
        return checks;
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
