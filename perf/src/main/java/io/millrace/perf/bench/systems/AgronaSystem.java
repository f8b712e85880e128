package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.Mapped;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.StreamMeter;
import org.agrona.IoUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.File;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Agrona's {@link OneToOneRingBuffer} (spsc, and one per direction for pingpong) and
 * {@link ManyToOneRingBuffer} (mpsc3), each over a 4 MiB ring (+ trailer) in a file mapped with
 * {@link IoUtil}. Producers {@code write} (copy in), consumers {@code read} with a batch limit; both spin.
 */
public final class AgronaSystem implements BenchSystem {

    private static final int MSG_TYPE = 1;
    private static final int READ_LIMIT = 1024;

    @Override
    public String name() {
        return "agrona";
    }

    @Override
    public String description() {
        return "Agrona 2.6.0 OneToOneRingBuffer (spsc, pingpong) / ManyToOneRingBuffer (mpsc3), 4 MiB ring in a "
                + "mapped /dev/shm file, write() + read(handler, 1024), busy spin";
    }

    @Override
    public List<String> jvmFlags() {
        // Agrona's README: open jdk.internal.misc for its Unsafe access; bounds checks off as Aeron's perf tests do.
        return List.of("--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true");
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        int max = Mapped.RING_BYTES / 8; // maxMsgLength = capacity / 8
        return size > max ? Optional.of("Agrona's maxMsgLength is capacity/8 = " + max + " bytes for the 4 MiB ring")
                : Optional.empty();
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        ctx.role().dispatch(() -> consume(ctx), () -> produce(ctx),
                () -> pong(ctx), () -> ping(ctx));
    }

    private static File file(RoleContext ctx, String name) {
        return ctx.dir().resolve(name).toFile();
    }

    private static RingBuffer create(RoleContext ctx, String name, boolean manyToOne) {
        MappedByteBuffer mapped = IoUtil.mapNewFile(file(ctx, name),
                Mapped.RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH);
        return wrap(mapped, manyToOne);
    }

    private static RingBuffer attach(RoleContext ctx, String name, boolean manyToOne) {
        return wrap(IoUtil.mapExistingFile(file(ctx, name), name), manyToOne);
    }

    private static RingBuffer wrap(MappedByteBuffer mapped, boolean manyToOne) {
        UnsafeBuffer buffer = new UnsafeBuffer(mapped);
        return manyToOne ? new ManyToOneRingBuffer(buffer) : new OneToOneRingBuffer(buffer);
    }

    private static UnsafeBuffer payload(int size) {
        UnsafeBuffer src = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(size));
        for (int i = 0; i < size; i++) {
            src.putByte(i, (byte) (i * 31 + 7));
        }
        return src;
    }

    private static void consume(RoleContext ctx) {
        RingBuffer ring = create(ctx, "ring", ctx.scenario() == Scenario.MPSC3);
        ctx.ready();
        StreamMeter meter = new StreamMeter(ctx);
        MessageHandler handler = (type, buffer, index, length) ->
                meter.onHeader(buffer.getLong(index, ByteOrder.LITTLE_ENDIAN));
        while (!meter.done()) {
            if (ring.read(handler, READ_LIMIT) == 0) {
                Spin.idle();
            }
        }
    }

    private static void produce(RoleContext ctx) throws Exception {
        RingBuffer ring = attach(ctx, "ring", ctx.scenario() == Scenario.MPSC3);
        int size = ctx.size();
        UnsafeBuffer src = payload(size);
        ctx.ready();
        ctx.awaitGo();
        ProducerLoop.run(ctx, header -> {
            src.putLong(0, header, ByteOrder.LITTLE_ENDIAN);
            while (!ring.write(MSG_TYPE, src, 0, size)) {
                Spin.idle();
            }
        });
    }

    private static void pong(RoleContext ctx) {
        RingBuffer ping = create(ctx, "ping", false);
        RingBuffer pong = create(ctx, "pong", false);
        ctx.ready();
        boolean[] stop = {false};
        MessageHandler echo = (type, buffer, index, length) -> {
            while (!pong.write(type, buffer, index, length)) {
                Spin.idle();
            }
            stop[0] = buffer.getLong(index, ByteOrder.LITTLE_ENDIAN) == Header.STOP;
        };
        while (!stop[0]) {
            if (ping.read(echo, 1) == 0) {
                Spin.idle();
            }
        }
    }

    private static void ping(RoleContext ctx) throws Exception {
        RingBuffer ping = attach(ctx, "ping", false);
        RingBuffer pong = attach(ctx, "pong", false);
        int size = ctx.size();
        UnsafeBuffer src = payload(size);
        ctx.ready();
        ctx.awaitGo();
        long[] echoed = new long[1];
        MessageHandler onPong = (type, buffer, index, length) ->
                echoed[0] = buffer.getLong(index, ByteOrder.LITTLE_ENDIAN);
        PingLoop.run(ctx, header -> {
            src.putLong(0, header, ByteOrder.LITTLE_ENDIAN);
            while (!ping.write(MSG_TYPE, src, 0, size)) {
                Spin.idle();
            }
            while (pong.read(onPong, 1) == 0) {
                Spin.idle();
            }
            PingLoop.checkEcho(header, echoed[0]);
        });
    }
}
