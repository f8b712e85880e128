package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.Mapped;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.RepResult;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.StreamMeter;
import io.millrace.perf.bench.Systems;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine's limits, measured with the same harness, through FFM only:
 * <ul>
 *   <li><b>Bare SPSC probe</b> (spsc; mpsc3 rows reuse it): fixed-size slots in a mapped file, no framing, no
 *       message header beyond the benchmark's own 8 bytes. The producer copies each message into the next slot
 *       and publishes the tail with a release store once per batch; the consumer reads the tail with an
 *       acquire load, reads each slot's header and releases the head once per batch.
 * <pre>
 *   0      tail (producer: setRelease; consumer: getAcquire)   [own 128 bytes]
 *   128    head (consumer: setRelease; producer: getAcquire)   [own 128 bytes]
 *   256    slot[0] | slot[1] | ... | slot[n-1]   n = power of two, n * size &lt;= 4 MiB
 * </pre></li>
 *   <li><b>Cache-line round trip</b> (pingpong up to 64 B): two processes bounce a counter on one 64-byte line;
 *       the pinger stores an odd value, the ponger answers with the next even one.</li>
 *   <li><b>Copy round trip</b> (pingpong above 64 B): in round r the pinger copies the N-byte message into slot
 *       r of the ping slots and stores r with release; the ponger, seeing it with acquire, copies that slot into slot
 *       r of the pong slots and answers with r in its own word; the pinger reads the echo's header in place. The
 *       least an N-byte echo between two processes costs: no framing, no ring positions. The slots go round 4 MiB
 *       each way as a ring's records do (a buffer used again every round made the writer wait for the reader's
 *       copies of its lines to be invalidated: 13.4 us against 8.3 us for the ring at 64 KiB).
 * <pre>
 *   0      ping sequence (pinger: setRelease; ponger: getAcquire)   [own 128 bytes]
 *   128    pong sequence (ponger: setRelease; pinger: getAcquire)   [own 128 bytes]
 *   256    ping slot[0] | ... | ping slot[n-1]   n = power of two, n * size &lt;= 4 MiB
 *   then   pong slot[0] | ... | pong slot[n-1]
 * </pre></li>
 *   <li><b>Copy bandwidth</b> (copy): one thread, {@code MemorySegment.copy} of the message size from one
 *       buffer into successive slots of a 4 MiB buffer, as a producer fills a ring.</li>
 * </ul>
 */
public final class LimitSystem implements BenchSystem {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfLong HEADER =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final long TAIL = 0;
    private static final long HEAD = 128;
    private static final long SLOTS = 256;
    private static final int MAX_BATCH = 64;
    private static final int LINE_FILE_BYTES = 4096;
    /** Largest pingpong size played by the cache-line round trip; larger ones by the copy round trip. */
    static final int LINE_ROUND_TRIP_MAX = 64;
    private static final long PING_SEQUENCE = 0;
    private static final long PONG_SEQUENCE = 128;
    private static final long PING_SLOTS = 256;

    @Override
    public String name() {
        return Systems.LIMIT;
    }

    @Override
    public String description() {
        return "FFM probes: bare fixed-slot SPSC ring across two processes (batched tail release; mpsc3 rows "
                + "reuse it), cache-line ping-pong across two processes (pingpong rows, any size), "
                + "single-thread MemorySegment.copy into a 4 MiB buffer (copy rows)";
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return Optional.empty();
    }

    @Override
    public Measurement measurement(Scenario scenario, int size) {
        return switch (scenario) {
            case MPSC3 -> new Measurement(name(), Scenario.SPSC, size);
            case PINGPONG -> new Measurement(name(), Scenario.PINGPONG, Math.max(size, LINE_ROUND_TRIP_MAX));
            default -> new Measurement(name(), scenario, size);
        };
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        switch (ctx.role()) {
            case CONSUMER -> consume(ctx);
            case PRODUCER -> produce(ctx);
            case PONGER -> pong(ctx);
            case PINGER -> ping(ctx);
            case COPIER -> copy(ctx);
        }
    }

    private static Path ringFile(RoleContext ctx) {
        return ctx.dir().resolve("spsc-probe");
    }

    private static void consume(RoleContext ctx) throws Exception {
        int size = ctx.size();
        int slots = Mapped.slotCount(size);
        long mask = slots - 1;
        int batch = Math.max(1, slots / 4);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ring = Mapped.create(ringFile(ctx), SLOTS + (long) slots * size, arena);
            ctx.ready();
            StreamMeter meter = new StreamMeter(ctx);
            long head = 0;
            while (!meter.done()) {
                long tail = (long) LONG.getAcquire(ring, TAIL);
                if (tail == head) {
                    Spin.idle();
                    continue;
                }
                long end = Math.min(tail, head + batch);
                for (; head < end; head++) {
                    meter.onHeader(ring.get(HEADER, SLOTS + (head & mask) * size));
                }
                LONG.setRelease(ring, HEAD, head);
            }
        }
    }

    private static void produce(RoleContext ctx) throws Exception {
        int size = ctx.size();
        int slots = Mapped.slotCount(size);
        long mask = slots - 1;
        int batch = Math.max(1, Math.min(MAX_BATCH, slots / 4));
        try (Arena arena = Arena.ofShared()) {
            MemorySegment ring = Mapped.attach(ringFile(ctx), arena);
            MemorySegment src = payload(arena, size);
            ctx.ready();
            ctx.awaitGo();
            long[] state = new long[3]; // tail, head cache, published tail
            ProducerLoop.run(ctx, header -> {
                long tail = state[0];
                if (tail - state[1] >= slots) {
                    if (state[2] != tail) {
                        LONG.setRelease(ring, TAIL, tail);
                        state[2] = tail;
                    }
                    while (tail - (state[1] = (long) LONG.getAcquire(ring, HEAD)) >= slots) {
                        Spin.idle();
                    }
                }
                long offset = SLOTS + (tail & mask) * size;
                MemorySegment.copy(src, 0, ring, offset, size);
                ring.set(HEADER, offset, header);
                state[0] = ++tail;
                if (header < 0 || tail - state[2] >= batch) {
                    LONG.setRelease(ring, TAIL, tail);
                    state[2] = tail;
                }
            });
        }
    }

    private static void pong(RoleContext ctx) throws Exception {
        if (ctx.size() > LINE_ROUND_TRIP_MAX) {
            copyPong(ctx);
            return;
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment line = Mapped.create(ctx.dir().resolve("cache-line"), LINE_FILE_BYTES, arena);
            ctx.ready();
            long expect = 1;
            while (true) {
                long v = (long) LONG.getAcquire(line, 0L);
                if (v == expect) {
                    LONG.setRelease(line, 0L, v + 1);
                    expect += 2;
                } else if (v == -1) {
                    LONG.setRelease(line, 0L, -2L);
                    return;
                } else {
                    Spin.idle();
                }
            }
        }
    }

    private static void ping(RoleContext ctx) throws Exception {
        if (ctx.size() > LINE_ROUND_TRIP_MAX) {
            copyPing(ctx);
            return;
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment line = Mapped.attach(ctx.dir().resolve("cache-line"), arena);
            ctx.ready();
            ctx.awaitGo();
            long[] next = {1};
            PingLoop.run(ctx, header -> {
                long send = header == io.millrace.perf.bench.Header.STOP ? -1 : next[0];
                long answer = send == -1 ? -2 : send + 1;
                LONG.setRelease(line, 0L, send);
                while ((long) LONG.getAcquire(line, 0L) != answer) {
                    Spin.idle();
                }
                next[0] += 2;
            });
        }
    }

    private static Path copyRoundTripFile(RoleContext ctx) {
        return ctx.dir().resolve("copy-round-trip");
    }

    /** Where the pong slots start: after the ping slots. */
    private static long pongSlots(int size) {
        return PING_SLOTS + (long) Mapped.slotCount(size) * size;
    }

    private static void copyPong(RoleContext ctx) throws Exception {
        int size = ctx.size();
        long pongSlots = pongSlots(size);
        long mask = Mapped.slotCount(size) - 1;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment file = Mapped.create(copyRoundTripFile(ctx), pongSlots + (pongSlots - PING_SLOTS), arena);
            ctx.ready();
            long expect = 1;
            while (true) {
                if ((long) LONG.getAcquire(file, PING_SEQUENCE) != expect) {
                    Spin.idle();
                    continue;
                }
                long slot = (expect & mask) * size;
                MemorySegment.copy(file, PING_SLOTS + slot, file, pongSlots + slot, size);
                boolean stop = file.get(HEADER, pongSlots + slot) == io.millrace.perf.bench.Header.STOP;
                LONG.setRelease(file, PONG_SEQUENCE, expect++);
                if (stop) {
                    return;
                }
            }
        }
    }

    private static void copyPing(RoleContext ctx) throws Exception {
        int size = ctx.size();
        long pongSlots = pongSlots(size);
        long mask = Mapped.slotCount(size) - 1;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment file = Mapped.attach(copyRoundTripFile(ctx), arena);
            MemorySegment src = payload(arena, size);
            ctx.ready();
            ctx.awaitGo();
            long[] sequence = {0};
            PingLoop.run(ctx, header -> {
                long round = ++sequence[0];
                src.set(HEADER, 0, header);
                long slot = (round & mask) * size;
                MemorySegment.copy(src, 0, file, PING_SLOTS + slot, size);
                LONG.setRelease(file, PING_SEQUENCE, round);
                while ((long) LONG.getAcquire(file, PONG_SEQUENCE) != round) {
                    Spin.idle();
                }
                PingLoop.checkEcho(header, file.get(HEADER, pongSlots + slot));
            });
        }
    }

    private static void copy(RoleContext ctx) throws Exception {
        int size = ctx.size();
        int slots = Mapped.slotCount(size);
        long mask = slots - 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = payload(arena, size);
            MemorySegment dst = arena.allocate((long) slots * size, 64);
            ctx.ready();
            ctx.awaitGo();
            long i = 0;
            for (int rep = 0; rep <= ctx.reps(); rep++) {
                long start = System.nanoTime();
                long deadline = start + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
                long count = 0;
                long now;
                do {
                    for (int k = 0; k < 16; k++) {
                        MemorySegment.copy(src, 0, dst, (i++ & mask) * size, size);
                    }
                    count += 16;
                    now = System.nanoTime();
                } while (now - deadline < 0);
                if (rep > 0) {
                    ctx.result(RepResult.throughput(rep, count, now - start));
                }
            }
        }
    }

    /** A message buffer filled with a byte pattern (not zeros, so nothing can take a zero-page shortcut). */
    static MemorySegment payload(Arena arena, int size) {
        MemorySegment src = arena.allocate(size, 64);
        for (int i = 0; i < size; i++) {
            src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        return src;
    }
}
