package io.millrace.perf.bench;

import io.millrace.perf.bench.systems.MillraceActorsSystem;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The targets of the actor and Flux-bridge rows, as ratios between rows of one run (medians, as {@link Targets}):
 * Millrace's row against a peer's or the raw ring's of the same size. Stream targets compare msgs/s
 * (Millrace's over the other's, at least the bound); round-trip targets compare p50 (Millrace's over the other's, at
 * most the bound). A target is printed only when both of its rows are in the run. An absolute target (no other
 * row: {@code other} null) bounds the row's own figure: msgs/s, or p50 in ns.
 */
final class ScenarioTargets {

    private ScenarioTargets() {
    }

    /**
     * One target: {@code system}'s row of {@code scenario} at {@code size} over {@code other}'s row of
     * {@code otherScenario} at the same size.
     */
    record Target(String what, String system, Scenario scenario, String other, Scenario otherScenario, int size,
                  double bound) {
        /** True when the figure compared is a round trip's p50 (at most the bound), else msgs/s (at least). */
        boolean atMost() {
            return scenario.isRoundTrip();
        }

        /** A bound on {@code system}'s own figure of {@code scenario} at {@code size}. */
        static Target absolute(String what, String system, Scenario scenario, int size, double bound) {
            return new Target(what, system, scenario, null, null, size, bound);
        }

        /** The ratio of the two rows' figures (the own figure if absolute); null if one is missing. */
        Double ratio(Row mine, Row theirs) {
            Double a = figure(mine);
            if (other == null) {
                return a;
            }
            Double b = figure(theirs);
            return a == null || b == null || b <= 0 ? null : a / b;
        }

        private Double figure(Row row) {
            Summary s = row.scenario().isRoundTrip() ? row.p50ns() : row.msgsPerSec();
            return s == null ? null : s.median();
        }
    }

    private static final String ACTORS = MillraceActorsSystem.NAME;

    static final List<Target> TARGETS = List.of(
            new Target("actor-tell 64 B: millrace-actors msgs/s / pekko-artery", ACTORS, Scenario.ACTOR_TELL,
                    "pekko-artery", Scenario.ACTOR_TELL, 64, 10),
            new Target("actor-tell 64 B: millrace-actors msgs/s / ring", ACTORS, Scenario.ACTOR_TELL,
                    Systems.RING, Scenario.ACTOR_TELL, 64, 0.5),
            new Target("actor-ask 64 B: millrace-actors p50 / ring round trip p50", ACTORS, Scenario.ACTOR_ASK,
                    Systems.RING, Scenario.ACTOR_ASK, 64, 3),
            new Target("actor-local 64 B: millrace-actors msgs/s / pekko", ACTORS, Scenario.ACTOR_LOCAL,
                    "pekko", Scenario.ACTOR_LOCAL, 64, 1),
            new Target("flux-stream 64 B: millrace elements/s / rsocket-tcp", Systems.MILLRACE, Scenario.FLUX_STREAM,
                    "rsocket-tcp", Scenario.FLUX_STREAM, 64, 10),
            new Target("flux-stream 64 B: millrace elements/s / ring actor-tell", Systems.MILLRACE,
                    Scenario.FLUX_STREAM, Systems.RING, Scenario.ACTOR_TELL, 64, 0.3),
            new Target("flux-request1 64 B: millrace p50 / ring round trip p50", Systems.MILLRACE,
                    Scenario.FLUX_REQUEST1, Systems.RING, Scenario.ACTOR_ASK, 64, 3),
            Target.absolute("struct-inc 1 proc: millrace increments/s", Systems.MILLRACE, Scenario.STRUCT_INC,
                    Scenario.ONE_PROCESS, 20e6),
            new Target("struct-inc 1 proc: millrace increments/s / python-value", Systems.MILLRACE,
                    Scenario.STRUCT_INC, "python-value", Scenario.STRUCT_INC, Scenario.ONE_PROCESS, 100),
            Target.absolute("map-get 64 B: millrace p50 ns", Systems.MILLRACE, Scenario.MAP_GET, 64, 200),
            new Target("map-get 64 B: millrace p50 / chronicle-map p50", Systems.MILLRACE, Scenario.MAP_GET,
                    "chronicle-map", Scenario.MAP_GET, 64, 1),
            Target.absolute("map-put 64 B: millrace p50 ns", Systems.MILLRACE, Scenario.MAP_PUT, 64, 800),
            new Target("map-put 64 B: millrace p50 / chronicle-map p50", Systems.MILLRACE, Scenario.MAP_PUT,
                    "chronicle-map", Scenario.MAP_PUT, 64, 1),
            Target.absolute("tx-commit 1 proc: millrace commits/s per thread", Systems.MILLRACE, Scenario.TX_COMMIT,
                    Scenario.ONE_PROCESS, 10e6),
            Target.absolute("tx-commit 2 procs: millrace commits/s contended", Systems.MILLRACE, Scenario.TX_COMMIT,
                    Scenario.TWO_PROCESSES, 2e6));

    /** One judged target: its ratio in this run and whether it meets the bound. */
    record Check(Target target, double ratio) {
        boolean met() {
            return target.atMost() ? ratio <= target.bound() : ratio >= target.bound();
        }

        String line() {
            return String.format("  %-58s %8.2f  (target %s %.2f)  %s", target.what(), ratio,
                    target.atMost() ? "<=" : ">=", target.bound(), met() ? "met" : "MISSED");
        }
    }

    /** The targets whose two rows this run has (with figures), judged. */
    static List<Check> evaluate(List<Row> rows) {
        List<Check> checks = new ArrayList<>();
        for (Target t : TARGETS) {
            Optional<Row> mine = find(rows, t.system(), t.scenario(), t.size());
            Optional<Row> theirs = t.other() == null ? mine : find(rows, t.other(), t.otherScenario(), t.size());
            if (mine.isPresent() && theirs.isPresent()) {
                Double ratio = t.ratio(mine.get(), theirs.get());
                if (ratio != null) {
                    checks.add(new Check(t, ratio));
                }
            }
        }
        return checks;
    }

    /** The lines printed after the foundation's targets; empty when no target's rows are in the run. */
    static String format(List<Check> checks) {
        if (checks.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(
                "Targets of the actor, Flux-bridge and shared-state rows (ratios between rows of this run, or bounds):\n");
        checks.forEach(c -> sb.append(c.line()).append('\n'));
        return sb.toString();
    }

    private static Optional<Row> find(List<Row> rows, String system, Scenario scenario, int size) {
        return rows.stream().filter(r -> r.system().equals(system) && r.scenario() == scenario && r.size() == size)
                .findFirst();
    }
}
