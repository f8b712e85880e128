package io.millrace.reactive;

import io.millrace.shm.OfferStatus;
import io.millrace.shm.PeerGoneException;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedAtomicLong;
import io.millrace.shm.SharedRegion;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * The publisher's side of one subscription: subscribes to the exported source and writes what it signals into the
 * subscriber's data ring; a control thread of its own reads the subscriber's {@code REQUEST}s and {@code CANCEL}
 * from the control ring and passes them to the source.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>The source is asked for exactly what the subscriber requested (sums of {@code REQUEST(n)} records, as they
 *   come), so it never emits more than the subscriber asked for (§1.1); requests that come before the source's
 *   {@code onSubscribe} are kept and passed on when it comes.</li>
 *   <li>{@code onNext} claims a record in the data ring and encodes the element straight into it. When the ring is
 *   full (a slow subscriber, or elements larger than the ring holds at once) it waits for room in slices of
 *   {@value #SEND_SLICE_MILLIS} ms, looking between slices at the shared {@code cancelled} word and at the
 *   subscriber's liveness: the control thread may be the one blocked here (a synchronous source emits on the thread
 *   that requests), so a cancel must be seen without it.</li>
 *   <li>{@code onComplete}/{@code onError} write {@code COMPLETE}/{@code ERROR} after every element, then stop the
 *   control thread, which detaches from the subscription region. The subscriber removes that region.</li>
 *   <li>A {@code CANCEL}, the {@code cancelled} word, or the subscriber's death (a {@code ProcessWatch} callback
 *   wakes the control thread with a {@code CONTROL_WAKE} record of this process) cancel the source. When the
 *   subscriber died, this side removes the subscription region; so it does when it detaches and finds the
 *   subscriber dead, however the stream ended (see {@link StreamDescriptor}, "Removing a subscription region").</li>
 * </ol>
 * Nothing here throws from {@code onNext}: a failure to encode cancels the source and is sent as the stream's error.
 */
final class ExportSubscriber<T> implements CoreSubscriber<T> {
    static final long SEND_SLICE_MILLIS = 10;
    private static final Duration SEND_SLICE = Duration.ofMillis(SEND_SLICE_MILLIS);
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final int CONTROL_BATCH = 64;

    private static final VarHandle UPSTREAM;
    private static final VarHandle REQUESTED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            UPSTREAM = lookup.findVarHandle(ExportSubscriber.class, "upstream", Subscription.class);
            REQUESTED = lookup.findVarHandle(ExportSubscriber.class, "requested", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Export<T> export;
    private final Publisher<? extends T> source;
    private final ElementCodec<T> codec;
    private final SharedRegion region;
    private final Ring data;
    private final Ring control;
    private final SharedAtomicLong cancelledWord;
    private final long subscriberPid;
    private final long subscriberStartMillis;
    private final Thread controlThread;
    /** Source threads and wakers enter it to write into the region; the control thread shuts it before detaching. */
    private final RegionGate gate = new RegionGate();

    @SuppressWarnings("unused") // through UPSTREAM
    private volatile Subscription upstream;
    @SuppressWarnings("unused") // through REQUESTED
    private volatile long requested;
    /** A terminal signal is being written: later signals are dropped. */
    private volatile boolean terminating;
    /** The source has terminated: its terminal record is written (or could not be); the control thread may end. */
    private volatile boolean done;
    /** Nothing more is sent: the subscriber cancelled or went away. */
    private volatile boolean stopped;
    private volatile boolean subscriberDied;

    // control thread only
    private final Receiving receiving = new Receiving();
    private long pendingRequest;
    private boolean cancelSeen;

    ExportSubscriber(Export<T> export, Publisher<? extends T> source, ElementCodec<T> codec, SharedRegion region,
                     long subscriberPid, long subscriberStartMillis) {
        this.export = export;
        this.source = source;
        this.codec = codec;
        this.region = region;
        this.data = region.ring(StreamDescriptor.DATA);
        this.control = region.ring(StreamDescriptor.CONTROL);
        this.cancelledWord = region.atomicLong(StreamDescriptor.CANCELLED);
        this.subscriberPid = subscriberPid;
        this.subscriberStartMillis = subscriberStartMillis;
        this.controlThread = Thread.ofPlatform().daemon().name("millrace-export-" + region.name())
                .unstarted(this::runControl);
    }

    void start() {
        controlThread.start();
    }

    /** The subscription region's name (for tests and messages). */
    String regionName() {
        return region.name();
    }

    // ---------------------------------------------------------------- the control thread

    private void runControl() {
        AutoCloseable watch = () -> { };
        try {
            watch = StreamDescriptor.watch(subscriberPid, subscriberStartMillis, this::onSubscriberExit);
            source.subscribe(this);
            while (!done && !stopped) {
                try {
                    receiving.receive(control, this::onControl, CONTROL_BATCH, IDLE);
                } catch (PeerGoneException e) {
                    if (e.died()) {
                        subscriberDied = true;
                    }
                    cancelSeen = true;
                }
                if (subscriberDied || cancelledWord.getOpaque() != 0) {
                    cancelSeen = true;
                }
                if (cancelSeen) {
                    stop();
                } else if (pendingRequest > 0) {
                    long n = pendingRequest;
                    pendingRequest = 0;
                    requestUpstream(n);
                }
            }
        } catch (Throwable t) {
            if (terminating || stopped) {
                stop();
            } else {
                cancelUpstream(); // the source broke the rules (threw from subscribe or request): its error ends the stream
                terminate(t);
            }
        } finally {
            close(watch);
            export.onFinished(this);
        }
    }

    private void onControl(int type, MemorySegment buffer, long offset, int length) {
        switch (type) {
            case StreamDescriptor.REQUEST -> pendingRequest = Operators.addCap(pendingRequest,
                    buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset));
            case StreamDescriptor.CANCEL -> cancelSeen = true;
            default -> { } // CONTROL_WAKE: look at the flags
        }
    }

    private void onSubscriberExit() {
        subscriberDied = true;
        stopped = true;
        wakeControl();
    }

    /** Cancels the source (once) and stops sending. */
    private void stop() {
        stopped = true;
        cancelUpstream();
    }

    /** Cancels the source, once. */
    private void cancelUpstream() {
        Subscription s = (Subscription) UPSTREAM.getAndSet(this, Operators.cancelledSubscription());
        if (s != null && s != Operators.cancelledSubscription()) {
            s.cancel();
        }
    }

    private void requestUpstream(long n) {
        Subscription s = upstream;
        if (s == Operators.cancelledSubscription()) {
            return;
        }
        if (s != null) {
            s.request(n);
            return;
        }
        addRequested(n);
        s = upstream;
        if (s != null && s != Operators.cancelledSubscription()) {
            long r = (long) REQUESTED.getAndSet(this, 0L);
            if (r != 0) {
                s.request(r);
            }
        }
    }

    private void addRequested(long n) {
        while (true) {
            long r = requested;
            if (REQUESTED.compareAndSet(this, r, Operators.addCap(r, n))) {
                return;
            }
        }
    }

    private void close(AutoCloseable watch) {
        try {
            watch.close();
        } catch (Exception ignored) {
            // a cancelled watch
        }
        // a source thread still inside the gate (waiting for room for a record nobody will read: the stream ended
        // on this thread, say) leaves within a slice, so that shut() does not wait for it forever
        stopped = true;
        gate.shut(); // no source thread is writing into the region as it closes (see RegionGate)
        try {
            region.close();
        } catch (RuntimeException e) {
            System.err.println("millrace: cannot detach from " + region.name() + ": " + e);
        }
        if (subscriberDied) {
            region.directory().unlink(region.name()); // its owner cannot any more
        } else {
            // the stream may have ended as its subscriber was killed, before the death was told
            StreamDescriptor.removeIfSubscriberDead(region.directory(), region.name());
        }
    }

    /** Wakes the control thread from another thread; harmless once its region is closed. */
    private void wakeControl() {
        if (Thread.currentThread() == controlThread || !gate.enter()) {
            return;
        }
        try {
            control.offer(StreamDescriptor.CONTROL_WAKE, StreamDescriptor.EMPTY);
        } catch (RuntimeException closed) {
            // the control thread has finished
        } finally {
            gate.exit();
        }
    }

    // ---------------------------------------------------------------- the source's signals

    @Override
    public void onSubscribe(Subscription s) {
        Objects.requireNonNull(s, "onSubscribe");
        if (!UPSTREAM.compareAndSet(this, null, s)) {
            s.cancel(); // a second subscription (§2.5), or cancelled already
            return;
        }
        long r = (long) REQUESTED.getAndSet(this, 0L);
        if (r != 0) {
            s.request(r);
        }
    }

    @Override
    public void onNext(T element) {
        Objects.requireNonNull(element, "onNext");
        if (terminating || stopped || !enterRegion()) {
            Operators.onDiscard(element, currentContext());
            return;
        }
        try {
            if (!writeElement(element)) {
                stop(); // the subscriber went away
            }
        } catch (Throwable t) {
            cancelUpstream(); // the element could not be encoded: the stream ends with that error
            terminate(t);
        } finally {
            exitRegion();
        }
    }

    @Override
    public void onError(Throwable error) {
        Objects.requireNonNull(error, "onError");
        if (terminating || stopped || !enterRegion()) {
            return;
        }
        try {
            terminate(error);
        } finally {
            exitRegion();
        }
    }

    @Override
    public void onComplete() {
        if (terminating || stopped || !enterRegion()) {
            return;
        }
        try {
            terminating = true;
            try {
                sendWaiting(StreamDescriptor.COMPLETE, StreamDescriptor.EMPTY);
            } catch (RuntimeException e) {
                System.err.println("millrace: stream '" + export.name() + "' could not send its completion: " + e);
            }
            done = true;
            wakeControl();
        } finally {
            exitRegion();
        }
    }

    /** A source's signal on a thread of its own enters the gate; false once the control thread has shut it. */
    private boolean enterRegion() {
        return Thread.currentThread() == controlThread || gate.enter();
    }

    private void exitRegion() {
        if (Thread.currentThread() != controlThread) {
            gate.exit();
        }
    }

    private void terminate(Throwable error) {
        terminating = true;
        try {
            sendPayload(StreamDescriptor.ERROR, MemorySegment.ofArray(ThrowableCodec.encode(error)));
        } catch (RuntimeException e) {
            System.err.println("millrace: stream '" + export.name() + "' could not send its error " + error + ": " + e);
        }
        done = true;
        wakeControl();
    }

    // ---------------------------------------------------------------- writing records

    /** Writes one element; false when the subscriber has gone (or cancelled) before it could be written. */
    private boolean writeElement(T element) {
        int size = codec.sizeOf(element);
        if (size < 0) {
            throw new IllegalStateException(codec.getClass().getName() + ".sizeOf returned " + size);
        }
        if (size <= data.maxMessageLength()) {
            long at = data.tryClaim(StreamDescriptor.ELEMENT, size);
            if (at != Ring.BACK_PRESSURED) {
                try {
                    codec.write(element, data.buffer(), at);
                } catch (Throwable t) {
                    data.abort(at);
                    throw t;
                }
                data.commit(at);
                return true;
            }
        }
        MemorySegment bytes = MemorySegment.ofArray(new byte[size]);
        codec.write(element, bytes, 0);
        return sendPayload(StreamDescriptor.ELEMENT, bytes);
    }

    /** Sends {@code bytes} as one record of {@code kind}, or in fragments when it is longer than one record holds. */
    private boolean sendPayload(int kind, MemorySegment bytes) {
        long total = bytes.byteSize();
        if (total <= data.maxMessageLength()) {
            return sendWaiting(kind, bytes);
        }
        int chunk = Fragments.chunk(data);
        MemorySegment first = MemorySegment.ofArray(new byte[StreamDescriptor.FRAGMENT_START_HEADER + chunk]);
        first.set(ValueLayout.JAVA_INT_UNALIGNED, 0, kind);
        first.set(ValueLayout.JAVA_INT_UNALIGNED, 4, (int) total);
        MemorySegment.copy(bytes, 0, first, StreamDescriptor.FRAGMENT_START_HEADER, chunk);
        if (!sendWaiting(StreamDescriptor.FRAGMENT_START, first)) {
            return false;
        }
        for (long at = chunk; at < total; at += chunk) {
            if (!sendWaiting(StreamDescriptor.FRAGMENT, bytes.asSlice(at, Math.min(chunk, total - at)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sends one record, waiting for room in slices; false when the subscriber cancelled or went away meanwhile (see
     * the class comment, 2).
     */
    private boolean sendWaiting(int type, MemorySegment bytes) {
        while (true) {
            if (stopped || cancelledWord.getOpaque() != 0) {
                stopped = true;
                return false;
            }
            try {
                if (data.send(type, bytes, SEND_SLICE) == OfferStatus.ACCEPTED) {
                    return true;
                }
            } catch (PeerGoneException e) {
                subscriberDied |= e.died();
                stopped = true;
                wakeControl();
                return false;
            }
        }
    }
}
