package io.millrace.reactive;

import io.millrace.shm.OfferStatus;
import io.millrace.shm.PeerGoneException;
import io.millrace.shm.RegionException;
import io.millrace.shm.RegionSnapshot;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedAtomicLong;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A stream published in another process (or this one), as a cold {@link Flux}: each subscription is a stream of
 * its own, set up on a receiving thread of its own (see {@link ImportSubscription}).
 */
final class FluxImport<T> extends Flux<T> {
    private static final AtomicLong SERIAL = new AtomicLong();

    private final String name;
    private final Class<T> type;
    private final ElementCodec<T> codec;
    private final StreamOptions options;

    FluxImport(String name, Class<T> type, StreamOptions options) {
        this.name = StreamDescriptor.checkName(name);
        this.type = type;
        this.codec = ElementCodecs.forType(type);
        this.options = options;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        ImportSubscription<T> subscription = new ImportSubscription<>(this, actual);
        actual.onSubscribe(subscription);
        subscription.start();
    }

    @Override
    public String toString() {
        return "FluxImport[" + name + ", " + type.getName() + "]";
    }

    /**
     * One subscription: its receiving thread sets it up, delivers every signal to the subscriber (so never two at
     * once), and removes its region at the end.
     *
     * <h2>Protocol</h2>
     * <ol>
     *   <li>Setup: attach the stream's region (waiting up to the options' timeout: {@code NOT_PUBLISHED} after it;
     *   {@code PUBLISHER_DIED} at once for a region its creator was killed making),
     *   check the element type in its {@code meta} block ({@code TYPE_MISMATCH}, both named), create the subscription
     *   region, watch the publisher's pid, send {@code SUBSCRIBE}, check that the stream's file is still there (else
     *   the name was withdrawn, and the record may never be read: {@code NOT_PUBLISHED}), and detach.</li>
     *   <li>Demand: the subscriber's requests add to {@code requested}; the credit sent to the publisher
     *   ({@code forwarded}) stays within {@code requested} and within {@code prefetch} elements ahead of those
     *   received. A credit goes out when the demand itself is the limit (so {@code request(3)} reaches the publisher
     *   as 3), or when at least {@code limit} = 75 % of {@code prefetch} can go at once (as {@code limitRate}): an
     *   unbounded subscriber keeps at most {@code prefetch} elements in flight. Credits are written by whichever
     *   thread gets the {@code CREDIT_WIP} counter (a request, or the receiving thread after a batch).</li>
     *   <li>Elements arrive only against credit, so each is covered by the subscriber's demand and is delivered at
     *   once, in ring order, followed by the in-band {@code COMPLETE} or {@code ERROR}.</li>
     *   <li>Cancel (or a request of n &lt;= 0, or an {@code onNext} that throws) sets {@code cancelled}; the receiving
     *   thread, woken by a {@code DATA_WAKE} record of this process, sets the region's {@code cancelled} word, sends
     *   {@code CANCEL} and removes the region.</li>
     *   <li>The publisher's death is told by {@code ProcessWatch} (a pidfd: microseconds), whose callback sets
     *   {@code publisherDied} and wakes the receiving thread. It delivers what had arrived, then {@code onError}
     *   with {@code PUBLISHER_DIED} naming the pid, and removes the stream's region if its publisher is dead.</li>
     * </ol>
     */
    static final class ImportSubscription<T> implements Subscription {
        private static final Duration IDLE = Duration.ofSeconds(1);
        private static final Duration META_WAIT = Duration.ofSeconds(2);
        private static final int BATCH = 256;
        private static final long ATTACH_SLICE_NANOS = 100_000_000L;

        private static final VarHandle REQUESTED;
        private static final VarHandle CREDIT_WIP;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                REQUESTED = lookup.findVarHandle(ImportSubscription.class, "requested", long.class);
                CREDIT_WIP = lookup.findVarHandle(ImportSubscription.class, "creditWip", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final FluxImport<T> parent;
        private final int prefetch;
        private final int limit;
        private final Thread thread;
        /** How the receiving thread waits for its data ring (that thread only). */
        private final Receiving receiving = new Receiving();
        private final Fragments fragments = new Fragments();
        private CoreSubscriber<? super T> actual;

        @SuppressWarnings("unused") // through REQUESTED
        private volatile long requested;
        @SuppressWarnings("unused") // through CREDIT_WIP
        private volatile int creditWip;
        /** Credit sent to the publisher; guarded by CREDIT_WIP. */
        private long forwarded;
        /** Elements received; written by the receiving thread. */
        private volatile long received;

        /** No more elements are wanted: the subscriber cancelled, or the subscription failed on this side. */
        private volatile boolean cancelled;
        /** The subscriber itself cancelled: it hears nothing more. */
        private volatile boolean userCancelled;
        private volatile Throwable badRequest;
        private volatile boolean publisherDied;
        /** Set once the subscription region exists: lets other threads send credit and wake the receiving thread. */
        private volatile Ring control;
        private volatile Ring data;
        private SharedAtomicLong cancelledWord;
        private SharedRegion region;
        /** Other threads enter it to offer into the region's rings; shut before the region is closed. */
        private final RegionGate gate = new RegionGate();
        private AutoCloseable watch;
        private long publisherPid;
        private ElementCodec<T> codec;

        // receiving thread only
        private int sinceCredit;
        private boolean terminated;
        private Throwable failure;

        ImportSubscription(FluxImport<T> parent, CoreSubscriber<? super T> actual) {
            this.parent = parent;
            this.actual = actual;
            this.prefetch = parent.options.prefetch();
            this.limit = prefetch - (prefetch >> 2);
            this.thread = Thread.ofPlatform().daemon().name("millrace-import-" + parent.name)
                    .unstarted(this::run);
        }

        void start() {
            thread.start();
        }

        // ---------------------------------------------------------------- Subscription (any thread)

        @Override
        public void request(long n) {
            if (n <= 0) {
                badRequest = new IllegalArgumentException("§3.9 violated: request(n) needs n > 0, was n=" + n);
                cancelled = true;
                wake();
                return;
            }
            while (true) {
                long r = requested;
                if (r == Long.MAX_VALUE || REQUESTED.compareAndSet(this, r, Operators.addCap(r, n))) {
                    break;
                }
            }
            drainCredit();
        }

        @Override
        public void cancel() {
            userCancelled = true;
            if (cancelled) {
                return;
            }
            cancelled = true;
            wake();
        }

        /** Wakes the receiving thread (a record of this process in its data ring); harmless once it has finished. */
        private void wake() {
            Ring ring = data;
            if (ring != null && Thread.currentThread() != thread && gate.enter()) {
                try {
                    ring.offer(StreamDescriptor.DATA_WAKE, StreamDescriptor.EMPTY);
                } catch (RuntimeException closed) {
                    // the receiving thread has finished
                } finally {
                    gate.exit();
                }
            }
        }

        /** Sends the credit the demand and the prefetch window allow now (see the class comment, 2). */
        private void drainCredit() {
            if ((int) CREDIT_WIP.getAndAdd(this, 1) != 0) {
                return;
            }
            int missed = 1;
            do {
                Ring ring = control;
                boolean other = Thread.currentThread() != thread;
                if (ring != null && !cancelled && (!other || gate.enter())) {
                    try {
                        offerCredit(ring);
                    } finally {
                        if (other) {
                            gate.exit();
                        }
                    }
                }
                missed = (int) CREDIT_WIP.getAndAdd(this, -missed) - missed;
            } while (missed != 0);
        }

        private void offerCredit(Ring ring) {
            long r = requested;
            long got = received;
            long target = r == Long.MAX_VALUE ? got + prefetch : Math.min(r, got + prefetch);
            long credit = target - forwarded;
            if (credit > 0 && (credit >= limit || target == r)) {
                try {
                    if (ring.offer(StreamDescriptor.REQUEST, longRecord(credit)) == OfferStatus.ACCEPTED) {
                        forwarded = target;
                    } // else the publisher is behind on its control ring: sent after the next batch
                } catch (RuntimeException closed) {
                    // the subscription has ended
                }
            }
        }

        private static MemorySegment longRecord(long value) {
            MemorySegment record = MemorySegment.ofArray(new byte[8]);
            record.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
            return record;
        }

        // ---------------------------------------------------------------- the receiving thread

        private void run() {
            try {
                if (setUp()) {
                    drainCredit();
                    receive();
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                tearDown();
            }
        }

        /** Step 1 of the protocol; false when cancelled meanwhile. */
        private boolean setUp() {
            ShmDirectory directory = parent.options.directory();
            String streamRegion = StreamDescriptor.streamRegion(parent.name);
            Duration timeout = parent.options.timeout();
            long deadline = System.nanoTime() + timeout.toNanos();
            SharedRegion stream = attachStream(directory, streamRegion, timeout, deadline);
            if (stream == null) {
                return false;
            }
            try {
                MemorySegment meta = stream.block(StreamDescriptor.META);
                long metaDeadline = Math.max(deadline, System.nanoTime() + META_WAIT.toNanos());
                while ((publisherPid = StreamDescriptor.publisherPid(meta)) == 0) {
                    if (System.nanoTime() - metaDeadline > 0) {
                        throw new StreamException(StreamException.Reason.NOT_PUBLISHED, "stream '" + parent.name
                                + "' has a region but its publisher never finished setting it up");
                    }
                    LockSupport.parkNanos(100_000);
                }
                String exported = StreamDescriptor.typeName(meta);
                if (!exported.equals(parent.type.getName())) {
                    throw new StreamException(StreamException.Reason.TYPE_MISMATCH, "stream '" + parent.name
                            + "' carries elements of type=" + exported + " (pid " + publisherPid
                            + "), imported as type=" + parent.type.getName());
                }
                if (cancelled) {
                    return false;
                }
                codec = parent.codec.acquire(directory); // released by tearDown
                String regionName = createRegion(directory);
                cancelledWord = region.atomicLong(StreamDescriptor.CANCELLED);
                data = region.ring(StreamDescriptor.DATA);
                control = region.ring(StreamDescriptor.CONTROL);
                watch = StreamDescriptor.watch(publisherPid, StreamDescriptor.publisherStartMillis(meta),
                        this::onPublisherExit);
                Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), IDLE.toNanos()));
                if (stream.ring(StreamDescriptor.SUBSCRIBE).send(StreamDescriptor.SUBSCRIBE_TYPE,
                        Export.subscribeRecord(regionName), left) != OfferStatus.ACCEPTED) {
                    throw new StreamException(StreamException.Reason.SUBSCRIBE_TIMEOUT, "stream '" + parent.name
                            + "' (pid " + publisherPid + ") took no subscription within " + left);
                }
                if (!directory.exists(streamRegion)) {
                    // withdrawn meanwhile: the publisher may have stopped reading before our record came
                    throw new StreamException(StreamException.Reason.NOT_PUBLISHED, "stream '" + parent.name
                            + "' was withdrawn by its publisher (pid " + publisherPid + ") while subscribing");
                }
                return true;
            } finally {
                stream.close();
            }
        }

        /**
         * Attaches the stream's region, waiting up to {@code timeout} in slices so that a cancel is seen; null when
         * cancelled meanwhile. A region still being made (its file empty or not marked ready when a slice ends) is
         * waited for like a missing one, until the whole timeout; one never marked ready whose recorded creator is
         * dead ({@link ShmDirectory#isAbandonedUnready}: its publisher was killed making it) fails at once with
         * {@code PUBLISHER_DIED}, as nothing will ever make it ready.
         */
        private SharedRegion attachStream(ShmDirectory directory, String streamRegion, Duration timeout, long deadline) {
            while (true) {
                long left = deadline - System.nanoTime();
                try {
                    return directory.attach(streamRegion, Duration.ofNanos(Math.clamp(left, 0, ATTACH_SLICE_NANOS)));
                } catch (RegionException e) {
                    boolean beingMade = e.reason() == RegionException.Reason.TOO_SMALL
                            || e.reason() == RegionException.Reason.ATTACH_TIMEOUT;
                    if (e.reason() != RegionException.Reason.MISSING && !beingMade) {
                        throw e;
                    }
                    if (e.reason() == RegionException.Reason.ATTACH_TIMEOUT
                            && directory.isAbandonedUnready(streamRegion)) {
                        throw new StreamException(StreamException.Reason.PUBLISHER_DIED, "the publisher of stream '"
                                + parent.name + "' died creating its region '" + streamRegion + "' in "
                                + directory.path() + " (" + e.getMessage() + "); Streams.removeDeadRegions or"
                                + " `millrace clean` removes it", e);
                    }
                    if (left <= ATTACH_SLICE_NANOS) {
                        if (beingMade) {
                            throw e; // still not ready at the deadline: its reason and creator say why
                        }
                        throw new StreamException(StreamException.Reason.NOT_PUBLISHED, "no stream '" + parent.name
                                + "' is published in " + directory.path() + " (waited " + timeout + ")");
                    }
                }
                if (cancelled) {
                    return null;
                }
            }
        }

        /** Creates the subscription region under a fresh name (a dead process of our pid may have left one). */
        private String createRegion(ShmDirectory directory) {
            for (int attempt = 0; ; attempt++) {
                String regionName = StreamDescriptor.subscriptionRegion(parent.name, ProcessHandle.current().pid(),
                        SERIAL.incrementAndGet());
                try {
                    region = directory.create(StreamDescriptor.subscriptionSpec(regionName,
                            parent.options.dataRingCapacity()));
                    return regionName;
                } catch (RegionException e) {
                    if (e.reason() != RegionException.Reason.ALREADY_EXISTS || attempt >= 3) {
                        throw e;
                    }
                }
            }
        }

        private void onPublisherExit() {
            publisherDied = true;
            wake();
        }

        /** Steps 3 to 5: delivers until a terminal signal, a cancel or the publisher's end. */
        private void receive() {
            Ring ring = data;
            while (!terminated && !cancelled) {
                if (publisherDied) {
                    while (!terminated && !cancelled && ring.poll(this::onRecord, BATCH) > 0) {
                        // deliver what the publisher wrote before it died
                    }
                    if (!terminated) {
                        failure = publisherGone(true);
                        terminated = true;
                    }
                    return;
                }
                try {
                    receiving.receive(ring, this::onRecord, BATCH, IDLE);
                } catch (PeerGoneException e) {
                    if (!terminated && !cancelled) {
                        failure = publisherGone(e.died() || publisherDied);
                        terminated = true;
                    }
                    return;
                }
                if (!terminated && !cancelled) {
                    drainCredit();
                }
            }
        }

        private StreamException publisherGone(boolean died) {
            return died
                    ? new StreamException(StreamException.Reason.PUBLISHER_DIED, "the publisher of stream '"
                    + parent.name + "' (pid " + publisherPid + ") died before the stream ended")
                    : new StreamException(StreamException.Reason.PUBLISHER_GONE, "the publisher of stream '"
                    + parent.name + "' (pid " + publisherPid + ") detached before the stream ended");
        }

        private void onRecord(int type, MemorySegment buffer, long offset, int length) {
            if (terminated || cancelled) {
                return;
            }
            switch (type) {
                case StreamDescriptor.ELEMENT -> deliver(buffer, offset, length);
                case StreamDescriptor.FRAGMENT_START -> {
                    fragments.start(buffer, offset, length);
                    onFragment();
                }
                case StreamDescriptor.FRAGMENT -> {
                    fragments.append(buffer, offset, length);
                    onFragment();
                }
                case StreamDescriptor.COMPLETE -> terminated = true;
                case StreamDescriptor.ERROR -> {
                    byte[] bytes = new byte[length];
                    MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
                    failure = ThrowableCodec.decode(bytes);
                    terminated = true;
                }
                default -> { } // DATA_WAKE: the loop looks at the flags
            }
        }

        private void onFragment() {
            if (!fragments.complete()) {
                return;
            }
            int kind = fragments.kind();
            byte[] bytes = fragments.take();
            if (kind == StreamDescriptor.ERROR) {
                failure = ThrowableCodec.decode(bytes);
                terminated = true;
            } else {
                deliver(MemorySegment.ofArray(bytes), 0, bytes.length);
            }
        }

        private void deliver(MemorySegment buffer, long offset, int length) {
            T element;
            try {
                element = codec.read(buffer, offset, length);
            } catch (Throwable t) {
                fail(t);
                return;
            }
            received = received + 1;
            if (++sinceCredit == limit) {
                sinceCredit = 0;
                drainCredit(); // replenish at 75 % of the window, not only after a batch
            }
            try {
                actual.onNext(element);
            } catch (Throwable t) {
                fail(t); // the subscriber broke §2.13: treat as Reactor does (cancel upstream, onError)
            }
        }

        private void fail(Throwable t) {
            failure = t;
            cancelled = true;
        }

        private void sendCancel() {
            try {
                cancelledWord.setOpaque(1L);
                control.offer(StreamDescriptor.CANCEL, StreamDescriptor.EMPTY);
            } catch (RuntimeException e) {
                // the publisher sees the cancelled word, or our detaching
            }
        }

        /** Removes the region, then signals the subscriber (so that, when it hears, no file of ours is left). */
        private void tearDown() {
            close(watch);
            if (codec != null) {
                codec.release();
            }
            ShmDirectory directory = parent.options.directory();
            if (region != null) {
                if (cancelled && !terminated) {
                    sendCancel();
                }
                region.unlink();
                gate.shut(); // no other thread is offering into its rings as it closes (see RegionGate)
                region.close();
            }
            if (publisherDied) {
                removeDeadStream(directory);
            }
            CoreSubscriber<? super T> subscriber = actual;
            actual = null;
            Throwable error = badRequest != null ? badRequest : failure;
            if (userCancelled && badRequest == null || cancelled && error == null) {
                return;
            }
            if (error != null) {
                subscriber.onError(error);
            } else {
                subscriber.onComplete();
            }
        }

        /** Removes the stream's region when the publisher that died is its creator and nobody lives there. */
        private void removeDeadStream(ShmDirectory directory) {
            String streamRegion = StreamDescriptor.streamRegion(parent.name);
            try {
                RegionSnapshot snapshot = directory.inspect(streamRegion);
                if (snapshot.creatorPid() == publisherPid && !snapshot.creatorAlive()) {
                    directory.unlink(streamRegion);
                }
            } catch (RuntimeException e) {
                // gone already, or replaced
            }
        }

        private static void close(AutoCloseable watch) {
            try {
                if (watch != null) {
                    watch.close();
                }
            } catch (Exception ignored) {
                // nothing to cancel
            }
        }
    }
}
