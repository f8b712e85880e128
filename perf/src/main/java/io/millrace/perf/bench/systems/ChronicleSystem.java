package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.StreamMeter;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Chronicle Queue: one queue directory per direction inside the trial directory (on /dev/shm). Producers append
 * each message with {@code writeBytes}; 3 producer processes append to the same queue (Chronicle serialises
 * them with its cross-process write lock). The consumer reads with a tailer's {@code readingDocument()},
 * zero-copy. Chronicle keeps every message, so a repetition also stops at 512 MiB.
 */
public final class ChronicleSystem implements BenchSystem {

    @Override
    public String name() {
        return "chronicle";
    }

    @Override
    public String description() {
        return "Chronicle Queue 2026.4, queue in /dev/shm, appender.writeBytes + tailer.readingDocument, busy spin; "
                + "a repetition also ends at 512 MiB (the queue keeps every message)";
    }

    /** The flags Chronicle documents for Java 17+ ("Chronicle support for Java 17"), analytics off. */
    static final List<String> JVM_FLAGS = List.of(
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Dchronicle.analytics.disable=true");

    @Override
    public List<String> jvmFlags() {
        return JVM_FLAGS;
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return Optional.empty();
    }

    @Override
    public long maxBytesPerRepetition() {
        return 512L << 20;
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        ctx.role().dispatch(() -> consume(ctx), () -> produce(ctx),
                () -> pong(ctx), () -> ping(ctx));
    }

    private static ChronicleQueue queue(RoleContext ctx, String name) {
        Path dir = ctx.dir().resolve("chronicle-" + name);
        return ChronicleQueue.singleBuilder(dir).build();
    }

    private static Bytes<?> payload(int size) {
        Bytes<?> bytes = Bytes.allocateDirect(size);
        for (int i = 0; i < size; i++) {
            bytes.writeByte((byte) (i * 31 + 7));
        }
        return bytes;
    }

    /** Reads one document if there is one into {@code header[0]}; false when the queue had none. */
    private static boolean readOne(ExcerptTailer tailer, long[] header) {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            Bytes<?> b = dc.wire().bytes();
            header[0] = b.readLong(b.readPosition());
            return true;
        }
    }

    private static void consume(RoleContext ctx) {
        try (ChronicleQueue queue = queue(ctx, "stream"); ExcerptTailer tailer = queue.createTailer()) {
            ctx.ready();
            StreamMeter meter = new StreamMeter(ctx);
            long[] header = new long[1];
            while (!meter.done()) {
                if (readOne(tailer, header)) {
                    meter.onHeader(header[0]);
                } else {
                    Spin.idle();
                }
            }
        }
    }

    private static void produce(RoleContext ctx) throws Exception {
        try (ChronicleQueue queue = queue(ctx, "stream"); ExcerptAppender appender = queue.createAppender()) {
            Bytes<?> src = payload(ctx.size());
            ctx.ready();
            ctx.awaitGo();
            ProducerLoop.run(ctx, header -> {
                src.writeLong(0, header);
                appender.writeBytes(src);
            });
        }
    }

    private static void pong(RoleContext ctx) {
        try (ChronicleQueue ping = queue(ctx, "ping"); ChronicleQueue pong = queue(ctx, "pong");
             ExcerptTailer tailer = ping.createTailer(); ExcerptAppender appender = pong.createAppender()) {
            ctx.ready();
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        Spin.idle();
                        continue;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long header = b.readLong(b.readPosition());
                    appender.writeBytes(b); // straight from the ping queue's mapped document
                    if (header == Header.STOP) {
                        return;
                    }
                }
            }
        }
    }

    private static void ping(RoleContext ctx) throws Exception {
        try (ChronicleQueue ping = queue(ctx, "ping"); ChronicleQueue pong = queue(ctx, "pong");
             ExcerptAppender appender = ping.createAppender(); ExcerptTailer tailer = pong.createTailer()) {
            Bytes<?> src = payload(ctx.size());
            ctx.ready();
            ctx.awaitGo();
            long[] header = new long[1];
            PingLoop.run(ctx, h -> {
                src.writeLong(0, h);
                appender.writeBytes(src);
                while (!readOne(tailer, header)) {
                    Spin.idle();
                }
                PingLoop.checkEcho(h, header[0]);
            });
        }
    }
}
