package io.millrace.perf.bench.systems;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.StreamMeter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

/**
 * Aeron IPC ({@code aeron:ipc}) with a media driver embedded in the consumer/ponger process (threading mode
 * SHARED: one driver thread, as suits a 2-CPU machine; IPC MTU raised to its maximum, 65504, as Aeron allows for
 * IPC), Aeron directory inside the trial directory. spsc and
 * pingpong use exclusive publications; mpsc3 uses concurrent publications, which the driver backs with one
 * shared IPC log. Subscribers poll through a {@link FragmentAssembler} (a 64 KiB message is fragmented at the
 * IPC MTU); everyone spins on back pressure and empty polls.
 */
public final class AeronSystem implements BenchSystem {

    private static final String CHANNEL = "aeron:ipc";
    private static final int STREAM = 1001;
    private static final int PONG_STREAM = 1002;
    private static final int FRAGMENT_LIMIT = 1024;
    /** The largest MTU Aeron accepts: a 64 KiB message is 2 fragments instead of 47 at the default 1408. */
    private static final int IPC_MTU = 65504;
    /** Aeron's default IPC term length (64 MiB): the max message is min(16 MiB, term/8). */
    private static final int MAX_MESSAGE = 8 << 20;

    @Override
    public String name() {
        return "aeron";
    }

    @Override
    public String description() {
        return "Aeron 1.51.0 IPC, embedded media driver (SHARED threading) in the consumer/ponger, IPC MTU 65504, "
                + "offer() + poll(FragmentAssembler, 1024), busy spin";
    }

    @Override
    public List<String> jvmFlags() {
        // Aeron's documented JDK 17+ flags, and bounds checks off as in Aeron's own benchmark scripts.
        return List.of("--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
                "--add-opens=java.base/java.util.zip=ALL-UNNAMED", "-Dagrona.disable.bounds.checks=true");
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return size > MAX_MESSAGE ? Optional.of("above Aeron's max message length for a 64 MiB IPC term")
                : Optional.empty();
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        boolean server = ctx.role().isServer();
        String dir = ctx.dir().resolve("aeron").toString();
        MediaDriver driver = server ? MediaDriver.launchEmbedded(new MediaDriver.Context()
                .aeronDirectoryName(dir)
                .threadingMode(ThreadingMode.SHARED)
                .ipcMtuLength(IPC_MTU)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)) : null;
        try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir))) {
            ctx.role().dispatch(() -> consume(ctx, aeron), () -> produce(ctx, aeron),
                    () -> pong(ctx, aeron), () -> ping(ctx, aeron));
        } finally {
            if (driver != null) {
                driver.close();
            }
        }
    }

    private static UnsafeBuffer payload(int size) {
        UnsafeBuffer src = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(size));
        for (int i = 0; i < size; i++) {
            src.putByte(i, (byte) (i * 31 + 7));
        }
        return src;
    }

    private static void offer(Publication publication, DirectBuffer src, int size) {
        offer(publication, src, 0, size);
    }

    private static void offer(Publication publication, DirectBuffer src, int offset, int length) {
        long r;
        while ((r = publication.offer(src, offset, length)) < 0) {
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("publication refused the message: " + r);
            }
            Spin.idle();
        }
    }

    private static void awaitConnected(Publication publication) {
        while (!publication.isConnected()) {
            Spin.idle();
        }
    }

    private static void consume(RoleContext ctx, Aeron aeron) {
        try (Subscription sub = aeron.addSubscription(CHANNEL, STREAM)) {
            ctx.ready();
            StreamMeter meter = new StreamMeter(ctx);
            FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
                    meter.onHeader(buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN)));
            while (!meter.done()) {
                if (sub.poll(assembler, FRAGMENT_LIMIT) == 0) {
                    Spin.idle();
                }
            }
        }
    }

    private static void produce(RoleContext ctx, Aeron aeron) throws Exception {
        try (Publication pub = ctx.scenario() == Scenario.MPSC3 ? aeron.addPublication(CHANNEL, STREAM)
                : aeron.addExclusivePublication(CHANNEL, STREAM)) {
            awaitConnected(pub);
            int size = ctx.size();
            UnsafeBuffer src = payload(size);
            ctx.ready();
            ctx.awaitGo();
            ProducerLoop.run(ctx, header -> {
                src.putLong(0, header, ByteOrder.LITTLE_ENDIAN);
                offer(pub, src, size);
            });
        }
    }

    private static void pong(RoleContext ctx, Aeron aeron) {
        try (Subscription sub = aeron.addSubscription(CHANNEL, STREAM);
             Publication pub = aeron.addExclusivePublication(CHANNEL, PONG_STREAM)) {
            ctx.ready();
            awaitConnected(pub);
            boolean[] stop = {false};
            FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) -> {
                offer(pub, buffer, offset, length);
                stop[0] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN) == Header.STOP;
            });
            while (!stop[0]) {
                if (sub.poll(assembler, 1) == 0) {
                    Spin.idle();
                }
            }
        }
    }

    private static void ping(RoleContext ctx, Aeron aeron) throws Exception {
        try (Publication pub = aeron.addExclusivePublication(CHANNEL, STREAM);
             Subscription sub = aeron.addSubscription(CHANNEL, PONG_STREAM)) {
            awaitConnected(pub);
            while (!sub.isConnected()) {
                Spin.idle();
            }
            int size = ctx.size();
            UnsafeBuffer src = payload(size);
            ctx.ready();
            ctx.awaitGo();
            boolean[] got = {false};
            long[] echoed = new long[1];
            FragmentHandler onPong = new FragmentAssembler((buffer, offset, length, header) -> {
                echoed[0] = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                got[0] = true;
            });
            PingLoop.run(ctx, header -> {
                src.putLong(0, header, ByteOrder.LITTLE_ENDIAN);
                offer(pub, src, size);
                got[0] = false;
                while (!got[0]) {
                    if (sub.poll(onPong, 1) == 0) {
                        Spin.idle();
                    }
                }
                PingLoop.checkEcho(header, echoed[0]);
            });
        }
    }
}
