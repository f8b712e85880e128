package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.shm.ShmDirectory;
import io.millrace.state.EntryCodec;
import io.millrace.state.SharedMap;
import io.millrace.state.Struct;
import io.millrace.state.StructArray;
import io.millrace.state.StructType;
import io.millrace.state.Transactions;

import java.time.Duration;

/**
 * The {@code millrace} rows of the shared-state scenarios (io.millrace.state): struct-inc is {@code addCount(1)}
 * on one field of a live struct; tx-commit is {@link Transactions#atomic} moving 1 from counter 0 to counter 1
 * (2 reads, 2 writes; its rate is counter 1's growth); map-get/map-put are {@link SharedMap} get/put of raw-byte
 * 8-byte keys and values. Two-process variants attach to the struct array driver 0 created (see {@link StateLoop}).
 */
public final class MillraceState {

    /** The shared counters: elements 0 and 1 are counted, element 2 is the stop flag of driver 1. */
    public interface Counter extends Struct<Counter.Value> {
        /** A snapshot. */
        record Value(long count) {
        }

        long count();

        void count(long value);

        long addCount(long delta);
    }

    private static final String COUNTERS = "bench-counters";
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);

    private MillraceState() {
    }

    static void run(RoleContext ctx) throws Exception {
        ShmDirectory dir = ShmDirectory.at(ctx.dir().resolve("millrace-state"));
        switch (ctx.scenario()) {
            case STRUCT_INC, TX_COMMIT -> counters(ctx, dir);
            case MAP_GET, MAP_PUT -> map(ctx, dir);
            default -> throw new IllegalArgumentException("scenario=" + ctx.scenario() + " is not shared state");
        }
    }

    private static void counters(RoleContext ctx, ShmDirectory dir) throws Exception {
        StructType<Counter> type = StructType.of(Counter.class);
        try (StructArray<Counter> array = ctx.index() == 0 ? StructArray.create(dir, COUNTERS, type, 3)
                : StructArray.open(dir, COUNTERS, type, OPEN_TIMEOUT)) {
            Counter a = array.get(0);
            Counter b = array.get(1);
            Counter stop = array.get(2);
            Runnable op = ctx.scenario() == Scenario.STRUCT_INC ? () -> a.addCount(1)
                    : () -> Transactions.atomic(array, tx -> {
                        tx.setLong(a, "count", tx.getLong(a, "count") - 1);
                        tx.setLong(b, "count", tx.getLong(b, "count") + 1);
                    });
            Counter counted = ctx.scenario() == Scenario.STRUCT_INC ? a : b;
            StateLoop.rate(ctx, op, counted::count, () -> stop.count(1), () -> stop.count() != 0);
        }
    }

    private static void map(RoleContext ctx, ShmDirectory dir) throws Exception {
        int entries = Scenario.MAP_ENTRIES;
        byte[] value = StateLoop.value(ctx.size());
        try (SharedMap<byte[], byte[]> map = SharedMap.create(dir, "bench-map",
                new SharedMap.Capacity(entries, Long.BYTES, ctx.size()), EntryCodec.bytes(), EntryCodec.bytes())) {
            byte[] key = new byte[Long.BYTES];
            for (int i = 0; i < entries; i++) {
                map.put(StateLoop.key(key, i), value);
            }
            StateLoop.KeyOp op = ctx.scenario() == Scenario.MAP_GET ? k -> map.get(StateLoop.key(key, k))
                    : k -> map.put(StateLoop.key(key, k), value);
            StateLoop.latency(ctx, entries, op);
        }
    }
}
