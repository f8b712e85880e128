package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.FrameReader;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.StreamMeter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stream sockets through java.nio: Unix domain sockets ({@code uds}, a socket file in the trial directory) or
 * TCP over loopback ({@code tcp}, TCP_NODELAY, an ephemeral port the consumer reports with READY). The consumer
 * accepts one connection per producer; every channel is non-blocking and both sides spin on {@code read}/{@code
 * write} returning 0. One {@code write} per message; the consumer reads up to 256 KiB per {@code read}.
 */
public final class SocketSystem implements BenchSystem {

    private final boolean tcp;

    private SocketSystem(boolean tcp) {
        this.tcp = tcp;
    }

    public static SocketSystem uds() {
        return new SocketSystem(false);
    }

    public static SocketSystem tcp() {
        return new SocketSystem(true);
    }

    @Override
    public String name() {
        return tcp ? "tcp" : "uds";
    }

    @Override
    public String description() {
        return (tcp ? "TCP over loopback (TCP_NODELAY)" : "Unix domain stream socket (UnixDomainSocketAddress)")
                + ", java.nio SocketChannel non-blocking, one write per message, reads up to 256 KiB, busy spin";
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return Optional.empty();
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        ctx.role().dispatch(() -> consume(ctx), () -> produce(ctx),
                () -> pong(ctx), () -> ping(ctx));
    }

    private ServerSocketChannel listen(RoleContext ctx) throws IOException {
        if (tcp) {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
            ctx.ready(Map.of("port", Integer.toString(server.socket().getLocalPort())));
            return server;
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(ctx.dir().resolve("socket")), 8);
        ctx.ready();
        return server;
    }

    private SocketChannel connect(RoleContext ctx) throws IOException {
        SocketAddress address = tcp
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(ctx.readyProperty("port")))
                : UnixDomainSocketAddress.of(ctx.dir().resolve("socket"));
        SocketChannel ch = SocketChannel.open(address);
        return configure(ch);
    }

    private SocketChannel configure(SocketChannel ch) throws IOException {
        if (tcp) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        ch.configureBlocking(false);
        return ch;
    }

    private void consume(RoleContext ctx) throws IOException {
        try (ServerSocketChannel server = listen(ctx)) {
            int producers = ctx.scenario().producers();
            List<SocketChannel> channels = new ArrayList<>();
            List<FrameReader> readers = new ArrayList<>();
            for (int i = 0; i < producers; i++) {
                channels.add(configure(server.accept()));
                readers.add(new FrameReader(ctx.size()));
            }
            StreamMeter meter = new StreamMeter(ctx);
            boolean[] closed = new boolean[producers];
            int open = producers;
            while (!meter.done()) {
                int got = 0;
                for (int i = 0; i < producers; i++) {
                    if (closed[i]) {
                        continue;
                    }
                    int n = readers.get(i).readFrom(channels.get(i), meter);
                    if (n < 0) {
                        closed[i] = true; // a producer that sent its last marker closes its socket
                        open--;
                    } else {
                        got += n;
                    }
                }
                if (open == 0 && !meter.done()) {
                    throw new java.io.EOFException("every producer closed its socket before the last markers");
                }
                if (got == 0) {
                    Spin.idle();
                }
            }
            for (SocketChannel ch : channels) {
                ch.close();
            }
        }
    }

    private static void writeFully(SocketChannel ch, ByteBuffer msg) throws IOException {
        while (msg.hasRemaining()) {
            if (ch.write(msg) == 0) {
                Spin.idle();
            }
        }
    }

    private static void readFully(SocketChannel ch, ByteBuffer msg) throws IOException {
        while (msg.hasRemaining()) {
            int n = ch.read(msg);
            if (n < 0) {
                throw new java.io.EOFException("peer closed the socket");
            }
            if (n == 0) {
                Spin.idle();
            }
        }
    }

    private void produce(RoleContext ctx) throws Exception {
        try (SocketChannel ch = connect(ctx)) {
            ByteBuffer msg = PipeSystem.payload(ctx.size());
            ctx.ready();
            ctx.awaitGo();
            ProducerLoop.run(ctx, header -> {
                msg.clear();
                msg.putLong(0, header);
                writeFully(ch, msg);
            });
        }
    }

    private void pong(RoleContext ctx) throws IOException {
        try (ServerSocketChannel server = listen(ctx); SocketChannel ch = configure(server.accept())) {
            ByteBuffer msg = ByteBuffer.allocateDirect(ctx.size()).order(ByteOrder.LITTLE_ENDIAN);
            while (true) {
                msg.clear();
                readFully(ch, msg);
                msg.flip();
                long header = msg.getLong(0);
                writeFully(ch, msg);
                if (header == Header.STOP) {
                    return;
                }
            }
        }
    }

    private void ping(RoleContext ctx) throws Exception {
        try (SocketChannel ch = connect(ctx)) {
            ByteBuffer out = PipeSystem.payload(ctx.size());
            ByteBuffer in = ByteBuffer.allocateDirect(ctx.size()).order(ByteOrder.LITTLE_ENDIAN);
            ctx.ready();
            ctx.awaitGo();
            PingLoop.run(ctx, header -> {
                out.clear();
                out.putLong(0, header);
                writeFully(ch, out);
                in.clear();
                readFully(ch, in);
                PingLoop.checkEcho(header, in.getLong(0));
            });
        }
    }
}
