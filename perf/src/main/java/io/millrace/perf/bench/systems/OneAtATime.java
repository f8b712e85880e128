package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.Spin;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * The flux-request1 pinger's subscriber, shared by every Reactive Streams system: requests one element at a time
 * from the pinger's thread and spins until it has arrived.
 */
final class OneAtATime<T> extends BaseSubscriber<T> {
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final ToLongFunction<T> header;
    private volatile boolean arrived;
    private volatile Throwable error;
    private long value;

    /** @param header reads the harness header out of an element */
    OneAtATime(ToLongFunction<T> header) {
        this.header = header;
    }

    @Override
    protected void hookOnSubscribe(Subscription subscription) {
        // nothing requested until the first round trip
    }

    @Override
    protected void hookOnNext(T element) {
        value = header.applyAsLong(element);
        arrived = true;
    }

    @Override
    protected void hookOnError(Throwable t) {
        error = t;
    }

    /** The next element's header; fails after 10 s without it (a dead publisher). */
    long next() {
        arrived = false;
        request(1);
        long start = System.nanoTime();
        while (!arrived) {
            if (error != null) {
                throw new IllegalStateException("the stream failed: " + error, error);
            }
            if (System.nanoTime() - start > PATIENCE_NANOS) {
                throw new IllegalStateException("no onNext within 10 s of request(1)");
            }
            Spin.idle();
        }
        return value;
    }
}
