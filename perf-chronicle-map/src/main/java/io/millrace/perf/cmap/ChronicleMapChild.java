package io.millrace.perf.cmap;

import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.systems.StateLoop;
import net.openhft.chronicle.map.ChronicleMap;

import java.io.File;

/**
 * The {@code chronicle-map} child of {@code ./millrace bench} (system ChronicleMapSystem in perf), on its own class
 * path: a {@link ChronicleMap} of {@code Long} keys (boxed per operation) and {@code byte[]} values of the row's size,
 * persisted to a file in the trial directory (the way processes share one), filled with
 * {@link Scenario#MAP_ENTRIES} entries, then get / put of random keys, each timed (StateLoop). Exits 0 when done,
 * 1 after an {@code ERROR} line; halts if the harness goes away.
 */
public final class ChronicleMapChild {

    private ChronicleMapChild() {
    }

    /**
     * Runs one trial's driver.
     *
     * @param args role, index and the trial's {@code key=value} arguments, as the harness passes them
     */
    public static void main(String[] args) {
        ProcessHandle.current().parent().ifPresent(parent ->
                parent.onExit().thenRun(() -> Runtime.getRuntime().halt(70)));
        RoleContext ctx = null;
        try {
            ctx = RoleContext.parse(args);
            run(ctx);
            System.exit(0);
        } catch (Throwable t) {
            if (ctx != null) {
                ctx.error(t.getClass().getSimpleName() + ": " + t.getMessage());
            }
            t.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private static void run(RoleContext ctx) throws Exception {
        if (ctx.scenario() != Scenario.MAP_GET && ctx.scenario() != Scenario.MAP_PUT) {
            throw new IllegalArgumentException("scenario=" + ctx.scenario() + " is not played by chronicle-map");
        }
        int entries = Scenario.MAP_ENTRIES;
        byte[] value = StateLoop.value(ctx.size());
        File file = ctx.dir().resolve("chronicle-map.dat").toFile();
        try (ChronicleMap<Long, byte[]> map = ChronicleMap.of(Long.class, byte[].class).name("bench-map")
                .entries(entries).averageValueSize(ctx.size()).createPersistedTo(file)) {
            for (int i = 0; i < entries; i++) {
                map.put((long) i, value);
            }
            StateLoop.KeyOp op = ctx.scenario() == Scenario.MAP_GET ? k -> map.get((long) k)
                    : k -> map.put((long) k, value);
            StateLoop.latency(ctx, entries, op);
        }
    }
}
