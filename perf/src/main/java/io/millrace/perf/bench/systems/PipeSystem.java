package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.ChildCommand;
import io.millrace.perf.bench.FrameReader;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.Posix;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Stage;
import io.millrace.perf.bench.StreamMeter;
import io.millrace.perf.bench.TrialSpec;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Kernel pipes. spsc: the harness starts producer and consumer as a pipeline ({@code producer | consumer}, the
 * producer's stdout is the consumer's stdin). pingpong: the pinger starts the ponger as its own child process
 * and talks to it through the child's stdin and stdout. mpsc3: a named pipe (mkfifo) that the three producers
 * open for writing; writes of at most PIPE_BUF (4096) bytes are atomic, so 64 KiB is left out. One
 * {@code write(2)} per message; the consumer reads whatever is there (up to 256 KiB) per {@code read(2)}.
 * Java cannot poll a pipe without blocking, so pipe readers block in {@code read}.
 */
public final class PipeSystem implements BenchSystem {

    private static final int PIPE_BUF = 4096;

    @Override
    public String name() {
        return "pipe";
    }

    @Override
    public String description() {
        return "kernel pipe: spsc producer|consumer pipeline, pingpong via a child's stdin/stdout, mpsc3 via a "
                + "mkfifo named pipe; one write(2) per message, blocking reads of up to 256 KiB";
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        if (scenario == Scenario.MPSC3 && size > PIPE_BUF) {
            return Optional.of("writes above PIPE_BUF=" + PIPE_BUF + " bytes from several producers interleave "
                    + "(not atomic), so messages would tear");
        }
        return Optional.empty();
    }

    @Override
    public List<Stage> stages(TrialSpec trial) {
        return switch (trial.scenario()) {
            case SPSC -> List.of(new Stage(List.of(
                    new Stage.Launch(Role.PRODUCER, 0, ChildCommand.java(this, Role.PRODUCER, 0, trial)),
                    new Stage.Launch(Role.CONSUMER, 0, ChildCommand.java(this, Role.CONSUMER, 0, trial))), true));
            case PINGPONG -> List.of(new Stage(List.of(
                    new Stage.Launch(Role.PINGER, 0, ChildCommand.java(this, Role.PINGER, 0, trial))), false));
            default -> Stage.javaRoles(this, trial);
        };
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        ctx.role().dispatch(() -> consume(ctx), () -> produce(ctx),
                () -> pong(ctx), () -> ping(ctx));
    }

    private static Path fifo(RoleContext ctx) {
        return ctx.dir().resolve("fifo");
    }

    private static void consume(RoleContext ctx) throws IOException {
        ReadableByteChannel in;
        if (ctx.scenario() == Scenario.MPSC3) {
            Posix.mkfifo(fifo(ctx));
            ctx.ready();
            in = FileChannel.open(fifo(ctx), StandardOpenOption.READ); // blocks until a producer opens it
        } else {
            ctx.ready();
            in = new FileInputStream(FileDescriptor.in).getChannel();
        }
        StreamMeter meter = new StreamMeter(ctx);
        FrameReader reader = new FrameReader(ctx.size());
        while (!meter.done()) {
            if (reader.readFrom(in, meter) < 0) {
                throw new EOFException("the pipe closed before the last repetition's markers");
            }
        }
    }

    private static void produce(RoleContext ctx) throws Exception {
        WritableByteChannel out;
        if (ctx.scenario() == Scenario.MPSC3) {
            out = FileChannel.open(fifo(ctx), StandardOpenOption.WRITE);
        } else {
            ctx.controlOnStderr(); // stdout is the pipe
            out = new FileOutputStream(FileDescriptor.out).getChannel();
            System.setOut(System.err);
        }
        ByteBuffer msg = payload(ctx.size());
        ctx.ready();
        ctx.awaitGo();
        ProducerLoop.run(ctx, header -> {
            msg.clear();
            msg.putLong(0, header);
            while (msg.hasRemaining()) {
                out.write(msg);
            }
        });
        out.close();
    }

    private static void ping(RoleContext ctx) throws Exception {
        List<String> command = ChildCommand.java(new PipeSystem(), Role.PONGER, 0, ctx.trial());
        Process ponger = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            OutputStream toPonger = ponger.getOutputStream();
            InputStream fromPonger = ponger.getInputStream();
            byte[] hello = new byte[8];
            if (fromPonger.readNBytes(hello, 0, 8) != 8) {
                throw new EOFException("the ponger exited before saying hello");
            }
            int size = ctx.size();
            byte[] out = new byte[size];
            ByteBuffer outView = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            payload(size).get(0, out);
            byte[] in = new byte[size];
            ByteBuffer inView = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
            ctx.ready();
            ctx.awaitGo();
            PingLoop.run(ctx, header -> {
                outView.putLong(0, header);
                toPonger.write(out);
                toPonger.flush();
                if (fromPonger.readNBytes(in, 0, size) != size) {
                    throw new EOFException("the ponger closed its stdout");
                }
                PingLoop.checkEcho(header, inView.getLong(0));
            });
            toPonger.close();
            ponger.waitFor();
        } finally {
            ponger.destroyForcibly();
            ponger.waitFor();
        }
    }

    private static void pong(RoleContext ctx) throws IOException {
        ctx.controlOnStderr(); // stdout is the pipe back to the pinger
        FileChannel in = new FileInputStream(FileDescriptor.in).getChannel();
        FileChannel out = new FileOutputStream(FileDescriptor.out).getChannel();
        ByteBuffer msg = ByteBuffer.allocateDirect(ctx.size()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer hello = ByteBuffer.allocate(8);
        while (hello.hasRemaining()) {
            out.write(hello);
        }
        while (true) {
            msg.clear();
            while (msg.hasRemaining()) {
                if (in.read(msg) < 0) {
                    return; // the pinger went away
                }
            }
            msg.flip();
            long header = msg.getLong(0);
            while (msg.hasRemaining()) {
                out.write(msg);
            }
            if (header == Header.STOP) {
                return;
            }
        }
    }

    static ByteBuffer payload(int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) (i * 31 + 7));
        }
        return b;
    }
}
