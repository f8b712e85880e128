package io.millrace.generators;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.remote.Shipping;
import io.millrace.generators.WorkerProtocol.Exit;
import io.millrace.generators.WorkerProtocol.Generate;
import io.millrace.generators.WorkerProtocol.GeneratorEnded;
import io.millrace.generators.WorkerProtocol.GeneratorStarted;
import io.millrace.generators.WorkerProtocol.Hello;
import io.millrace.generators.WorkerProtocol.Init;
import io.millrace.generators.WorkerProtocol.Ready;
import io.millrace.generators.WorkerProtocol.Result;
import io.millrace.generators.WorkerProtocol.Run;
import io.millrace.generators.WorkerProtocol.StopGenerator;
import io.millrace.generators.WorkerProtocol.ToPool;
import io.millrace.generators.WorkerProtocol.ToWorker;
import io.millrace.reactive.Publication;
import io.millrace.reactive.Streams;
import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The main of a worker JVM ({@link WorkerPool}): arguments base directory, worker name, index, the path of the
 * pool's receiver (system, node hex, path, uid), and whether its lane spins ({@code lowLatency}). It runs a
 * one-lane actor system whose guardian is the worker, says {@link Hello} to the pool and then serves the
 * {@link WorkerProtocol}: tasks run on the lane thread one at a time; generators run on the stream's threads, so
 * that the worker still hears {@link StopGenerator}. The JVM ends on {@link Exit} (the guardian stops, so the
 * system terminates), and when the parent goes ({@code ChildMain}).
 */
final class WorkerMain {
    /** The status {@link Exit} asked for; the guardian stops, the system terminates, then the JVM exits with it. */
    private static final AtomicInteger EXIT_STATUS = new AtomicInteger();

    private WorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            System.err.println("usage: WorkerMain <base directory> <name> <index> <pool system> <pool node hex>"
                    + " <pool path> <pool uid> <low latency: true|false> <replies region>");
            System.exit(2);
        }
        Path base = Path.of(args[0]);
        int index = Integer.parseInt(args[2]);
        ActorPath poolPath = new ActorPath(args[3], Long.parseUnsignedLong(args[4], 16), args[5],
                Long.parseLong(args[6]));
        ActorSystemConfig config = PoolSupport.systemConfig(base, Boolean.parseBoolean(args[7]));
        ReplySlots replies = ReplySlots.attach(base, args[8]);
        ActorSystem<ToWorker> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ActorRef<ToPool> pool = ctx.getSystem().refResolver().resolveActorRef(poolPath);
            pool.tell(new Hello(index, ProcessHandle.current().pid(), ctx.getSelf()));
            return new Service(pool, base, index, replies).behavior();
        }), args[1], config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(system::close));
        system.getWhenTerminated().toCompletableFuture().get(Long.MAX_VALUE, TimeUnit.DAYS);
        if (replies != null) {
            replies.close();
        }
        System.exit(EXIT_STATUS.get());
    }

    /** The worker's state: its last code (a map ships the same function with every chunk) and its generators. */
    private static final class Service {
        private final ActorRef<ToPool> pool;
        private final Path base;
        private final int index;
        private final Map<Long, Publication> generators = new HashMap<>();
        private final ReplySlots replies;
        private byte[] lastCode;
        private Object lastTask;

        Service(ActorRef<ToPool> pool, Path base, int index, ReplySlots replies) {
            this.pool = pool;
            this.base = base;
            this.index = index;
            this.replies = replies;
        }

        Behavior<ToWorker> behavior() {
            return Behaviors.receiveMessage(message -> {
                switch (message) {
                    case Init init -> pool.tell(new Ready(index, init(init)));
                    case Run run -> {
                        Result result = run(run);
                        if (run.slot() < 0 || replies == null
                                || !replies.answer(run.slot(), run.id(), result.value(), result.error())) {
                            pool.tell(result);
                        }
                    }
                    case Generate generate -> pool.tell(new GeneratorStarted(generate.id(), generate(generate)));
                    case StopGenerator stop -> {
                        Publication publication;
                        synchronized (generators) {
                            publication = generators.remove(stop.id());
                        }
                        if (publication != null && publication.activeSubscriptions() == 0) {
                            publication.close();
                            pool.tell(new GeneratorEnded(stop.id(), 0));
                        }
                    }
                    case Exit exit -> {
                        EXIT_STATUS.set(exit.status());
                        return Behaviors.stopped();
                    }
                }
                return Behaviors.same();
            });
        }

        private byte[] init(Init init) {
            try {
                if (init.initializer() != null) {
                    ((SerializableRunnable) unship(init.initializer())).run();
                }
                return null;
            } catch (Throwable e) {
                return Payloads.writeError(e);
            }
        }

        private Result run(Run run) {
            byte[] value;
            try {
                if (!Arrays.equals(run.code(), lastCode)) {
                    lastTask = unship(run.code());
                    lastCode = run.code();
                }
                Object input = run.input() == null ? null : Payloads.read(run.input());
                value = Payloads.write(((WorkerTask) lastTask).run(input));
            } catch (Throwable e) {
                return new Result(run.id(), null, Payloads.writeError(e), null);
            }
            if (run.extract() == null) {
                return new Result(run.id(), value, null, null);
            }
            try {
                Object snapshot = ((SerializableSupplier<?>) unship(run.extract())).get();
                return new Result(run.id(), value, null, Payloads.write(snapshot));
            } catch (Throwable e) {
                return new Result(run.id(), null, Payloads.writeError(e), null);
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private byte[] generate(Generate generate) {
            try {
                Object code = unship(generate.code());
                Flux<Object> source = switch (generate.kind()) {
                    case WorkerProtocol.ITERATOR -> Flux.fromIterable(
                            () -> (Iterator<Object>) ((SerializableSupplier<?>) code).get());
                    case WorkerProtocol.STREAM -> Flux.fromStream(
                            () -> (Stream<Object>) ((SerializableSupplier<?>) code).get());
                    case WorkerProtocol.SINK -> Flux.create(
                            sink -> ((SerializableConsumer<FluxSink<Object>>) code).accept(sink));
                    default -> throw new IllegalArgumentException("kind=" + generate.kind() + " is not known");
                };
                Class type = generate.elementType() == null ? byte[].class
                        : Class.forName(generate.elementType(), false, WorkerMain.class.getClassLoader());
                AtomicLong produced = new AtomicLong();
                AtomicReference<Publication> held = new AtomicReference<>();
                Flux<Object> counted = source.doOnNext(x -> produced.incrementAndGet());
                Flux<Object> encoded = generate.elementType() == null ? counted.map(x -> (Object) Payloads.write(x))
                        : counted;
                Flux<Object> published = encoded.doFinally(signal -> {
                            synchronized (generators) {
                                generators.remove(generate.id());
                            }
                            held.get().close();
                            pool.tell(new GeneratorEnded(generate.id(), produced.get()));
                        });
                Publication publication = Streams.publish(generate.stream(), type, published, ShmDirectory.at(base));
                held.set(publication);
                synchronized (generators) {
                    generators.put(generate.id(), publication);
                }
                return null;
            } catch (Throwable e) {
                return Payloads.writeError(e);
            }
        }

        private static Object unship(byte[] code) {
            return Shipping.unship(code, WorkerMain.class.getClassLoader(), Set.of());
        }
    }
}
