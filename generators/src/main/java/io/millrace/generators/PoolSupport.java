package io.millrace.generators;

import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.remote.Shipping;
import io.millrace.generators.WorkerProtocol.Result;
import io.millrace.generators.WorkerProtocol.ToPool;
import io.millrace.shm.WaitStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/** What {@link WorkerPool}, {@link ProcessTask}, {@link Generators} and {@link Parallel} share: code, results, checks. */
final class PoolSupport {
    /** Shipped tasks by identity (lambdas do not override equals); weak, so that classes can unload. */
    private static final Map<Object, byte[]> SHIPPED = new java.util.WeakHashMap<>();

    static final int LANE_RING_BYTES = 4 << 20;
    static final long LOW_LATENCY_SPIN_NANOS = 100_000;

    private PoolSupport() {
    }

    /**
     * The shipped form of {@code task}, wrapped as a {@link WorkerTask}. A lambda that captures nothing is one
     * object for ever, so its bytes are kept (weakly, by identity): shipping costs tens of microseconds, more than
     * the rest of a no-op task's round trip.
     */
    static byte[] taskCode(SerializableCallable<?> task) {
        Objects.requireNonNull(task, "task");
        synchronized (SHIPPED) {
            byte[] known = SHIPPED.get(task);
            if (known != null) {
                return known;
            }
        }
        byte[] code = shipWrapped(task, input -> task.call());
        synchronized (SHIPPED) {
            SHIPPED.put(task, code);
        }
        return code;
    }

    /**
     * The shipped form of {@code wrapper}, which runs the user's code {@code user}: serialized once (the user's
     * code with it); a refusal names {@code user} and what it captured, not the wrapper (only then is {@code user}
     * shipped on its own, to say why).
     *
     * @throws IllegalArgumentException if it cannot be shipped
     */
    static byte[] shipWrapped(Object user, WorkerTask wrapper) {
        try {
            return Shipping.ship(wrapper);
        } catch (IllegalArgumentException refused) {
            Shipping.ship(user); // throws, naming the user's lambda and what it captured
            throw refused;
        }
    }

    /** A {@link Result}'s value, or its error thrown as the {@link io.millrace.reactive.RemoteException}. */
    @SuppressWarnings("unchecked")
    static <R> R value(ToPool message) {
        Result result = (Result) message;
        if (result.error() != null) {
            throw Payloads.readError(result.error());
        }
        return (R) Payloads.read(result.value());
    }

    /**
     * The actor system of a pool and of its workers: one lane of {@value #LANE_RING_BYTES} bytes, so that a message
     * up to an eighth of it (a map chunk of 125,000 ints, Python's default chunk of a million on 2 workers) goes
     * whole, not in fragments reassembled at the other end; with {@code lowLatency} a lane spins
     * {@value #LOW_LATENCY_SPIN_NANOS} ns after its last message before it sleeps, so that a worker takes the next
     * task of a caller that calls again at once without a futex wake-up (an idle pool still sleeps).
     */
    static ActorSystemConfig systemConfig(Path base, boolean lowLatency) {
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(base).withDispatcherThreads(1)
                .withLaneRingBytes(LANE_RING_BYTES);
        return lowLatency ? config.withWaitStrategy(WaitStrategy.spinThenBlock(Duration.ofNanos(LOW_LATENCY_SPIN_NANOS)))
                : config;
    }

    /**
     * Whether the JVM exits: its shutdown hooks have started, and {@code ChildJvm}'s kills every child with it, so a
     * worker that dies now is not replaced (a replacement would start only to be orphaned, and leave a half-made
     * region). Asked of the JVM (a hook can no longer be added), not set by a hook of ours: the JVM starts every
     * hook at once in no set order, so {@code ChildJvm}'s could kill a worker, and the pool replace it, before ours
     * ran. Costs a hook's registration and removal (a global lock, a {@code Thread} object): it is asked only when a
     * worker has exited.
     */
    static boolean jvmExiting() {
        Thread probe = Thread.ofPlatform().unstarted(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shutdownInProgress) {
            return true;
        }
    }

    static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    static void requirePositive(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + "=" + timeout + " must be positive");
        }
    }
}
