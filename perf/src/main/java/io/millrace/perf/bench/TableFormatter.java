package io.millrace.perf.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats a {@link Report} as a plain-text table with a header saying how it was measured, then the notes. */
public final class TableFormatter {

    private static final String[] HEADER = {
        "scenario", "size", "system", "msgs/s median [min-max]", "GiB/s", "p50 ns [min-max]", "p99 ns", "p99.9 ns",
        "x best peer", "x limit", "x copy", "cons cpu %", "msgs/cpu-s"};
    private static final boolean[] RIGHT = {false, true, false, true, true, true, true, true, true, true, true, true,
        true};

    /** Rows at or above this size also show their GiB/s relative to the copy bandwidth. */
    static final int COPY_COLUMN_MIN_SIZE = 64 * 1024;

    private TableFormatter() {
    }

    public static String format(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("Each figure is the median of ").append(report.reps()).append(" repetitions of ")
                .append(report.repMs()).append(" ms (after a ").append(report.warmupMs())
                .append(" ms warm-up in the same processes); [min-max] is the spread over the repetitions.\n");
        report.machine().describe().forEach(l -> sb.append(l).append('\n'));
        sb.append('\n').append(table(report.rows())).append('\n');
        sb.append(legend());
        if (report.rows().stream().anyMatch(r -> r.scenario().family() != Scenario.Family.TRANSPORT)) {
            sb.append(peerLegend());
        }
        if (!report.omissions().isEmpty()) {
            sb.append("\nRows left out:\n");
            for (Omission o : report.omissions()) {
                sb.append("  ").append(o.system()).append(' ').append(o.scenario().id()).append(' ')
                        .append(o.scenario().formatSize(o.size())).append(": ").append(o.reason()).append('\n');
            }
        }
        sb.append("\nSystems (each role in its own process; Java children get ")
                .append(String.join(" ", ChildCommand.COMMON_JVM_FLAGS)).append(" plus the flags below):\n");
        for (BenchSystem s : report.systems()) {
            sb.append("  ").append(s.name()).append(": ").append(s.description()).append('\n');
            if (!s.jvmFlags().isEmpty()) {
                sb.append("      flags: ").append(String.join(" ", s.jvmFlags())).append('\n');
            }
        }
        return sb.toString();
    }

    static String legend() {
        return """
                msgs/s: messages the consumer received per second (pingpong: round trips per second; copy: copies
                  per second). GiB/s: payload bytes per second. p50/p99/p99.9: round-trip latency (pingpong only).
                x best peer: msgs/s over the best peer's (pingpong: best peer's p50 over this p50); peers are all
                  systems but millrace*, ring and limit. x limit: the same against the limit row of the
                  scenario and size (spsc/mpsc3: bare fixed-slot SPSC probe; pingpong: cache-line round trip,
                  above 64 B a copy round trip of the size).
                  x copy: GiB/s over the single-thread copy bandwidth of the message size (rows of 64 KiB and more).
                cons cpu %: CPU time of the consumer's thread over the repetition's wall time (100: never off a CPU).
                  msgs/cpu-s: messages per second of that CPU time, the ring's cost apart from the scheduler's share
                  (spin-waiting counts as CPU). -: consumer not a Java thread of ours, or it changed threads.
                millrace-batch: Millrace publishing in batches of 64 records (Ring.Batch), as the bare probe does.
                """;
    }

    /** How to read the rows of the actor, Flux-bridge and process-pool scenarios. */
    static String peerLegend() {
        return """
                actor-*, flux-*, pool scenarios: msgs/s are messages at the receiving actor, elements at the
                  subscriber, items mapped or elements from the child generator per second; actor-ask,
                  flux-request1, task-dispatch and worker-start report round-trip p50/p99/p99.9 (worker-start: one
                  cold start to the first task's result). Size column: parallel-map chunksize (dflt = the library's
                  default), worker-start start method, task-dispatch none. x limit of actor rows: against ring.
                """;
    }

    public static String table(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(HEADER);
        String previousGroup = null;
        for (Row r : rows) {
            String group = r.scenario().id() + "/" + r.size();
            if (previousGroup != null && !group.equals(previousGroup)) {
                cells.add(null);
            }
            previousGroup = group;
            cells.add(new String[] {
                r.scenario().id(),
                r.scenario().formatSize(r.size()),
                r.system() + (r.note() == null ? "" : " *"),
                withSpread(r.msgsPerSec(), TableFormatter::si),
                r.gibPerSec() == null ? "" : String.format(Locale.ROOT, "%.3f", r.gibPerSec().median()),
                r.p50ns() == null ? "" : withSpread(r.p50ns(), TableFormatter::nanos),
                r.p99ns() == null ? "" : nanos(r.p99ns().median()),
                r.p999ns() == null ? "" : nanos(r.p999ns().median()),
                ratio(r.ratioToBestPeer()),
                ratio(r.ratioToLimit()),
                r.size() >= COPY_COLUMN_MIN_SIZE ? ratio(r.ratioToCopy()) : "",
                consumerCpu(r, r.consumerCpuShare(), s -> String.format(Locale.ROOT, "%.0f", s * 100)),
                consumerCpu(r, r.msgsPerCpuSec(), TableFormatter::si)});
        }
        int[] widths = new int[HEADER.length];
        for (String[] row : cells) {
            if (row != null) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            if (row == null) {
                sb.append('\n');
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(RIGHT[i] ? pad + row[i] : row[i] + pad);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        List<String> notes = rows.stream().filter(r -> r.note() != null)
                .map(r -> "* " + r.system() + " " + r.scenario().id() + " " + r.scenario().formatSize(r.size()) + ": " + r.note())
                .toList();
        notes.forEach(n -> sb.append(n).append('\n'));
        return sb.toString();
    }

    /** A consumer CPU figure's median; "-" for a consumer not measured, blank for rows without a consumer. */
    private static String consumerCpu(Row r, Summary s, java.util.function.DoubleFunction<String> f) {
        if (s != null) {
            return f.apply(s.median());
        }
        return r.scenario().isConsumerMetered() ? "-" : "";
    }

    private static String withSpread(Summary s, java.util.function.DoubleFunction<String> f) {
        return f.apply(s.median()) + " [" + f.apply(s.min()) + "-" + f.apply(s.max()) + "]";
    }

    /** 12.3M, 456k, 789, 1.23G. */
    static String si(double v) {
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (a >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String nanos(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String ratio(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, "%.2f", r);
    }
}
