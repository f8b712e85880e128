package io.millrace.reactive;

import io.millrace.shm.PeerGoneException;
import io.millrace.shm.RegionException;
import io.millrace.shm.RegionSnapshot;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import org.reactivestreams.Publisher;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A published stream: its region ({@link StreamDescriptor}) and the thread that takes subscriptions from its
 * {@code subscribe} ring, one {@link ExportSubscriber} (with a control thread of its own) per subscription.
 *
 * <p>Publishing over a region left by a dead publisher replaces it; over a live publisher's, it is refused
 * ({@code ALREADY_PUBLISHED}, its pid named). {@link #close()} removes the region first (so the name is free at
 * once), then stops the thread with a {@code SUBSCRIBE_WAKE} record; the thread serves the {@code SUBSCRIBE}s still
 * in the ring (their subscribers sent them before the name went) and detaches. A subscriber whose record comes later
 * finds the file gone after sending it, and fails with {@code NOT_PUBLISHED} (see {@link FluxImport}). Last, it
 * removes the subscription regions of its name left by subscribers that died before their record was read (see
 * {@link StreamDescriptor}, "Removing a subscription region").
 */
final class Export<T> implements Publication {
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration ATTACH_SUBSCRIBER = Duration.ofSeconds(2);
    private static final int SUBSCRIBE_HEADER = 20;

    private final String name;
    private final Class<T> type;
    private final Publisher<? extends T> source;
    private final ElementCodec<T> unbound;
    /** Held from publish to close: the directory's shared state stays open between subscriptions. */
    private final ElementCodec<T> codec;
    private final ShmDirectory directory;
    private final SharedRegion region;
    private final Ring subscribe;
    private final Thread thread;
    /** close() enters it to wake the thread; the thread shuts it before closing the region. */
    private final RegionGate gate = new RegionGate();
    /** Each subscription's own codec, acquired at its start and released when it ends (it may outlive close). */
    private final Map<ExportSubscriber<T>, ElementCodec<T>> active = new ConcurrentHashMap<>();
    private final List<Subscribe> arrived = new ArrayList<>();
    private volatile boolean closed;

    private record Subscribe(long pid, long startMillis, String region) {
    }

    Export(String name, Class<T> type, Publisher<? extends T> source, ShmDirectory directory) {
        this.name = name;
        this.type = type;
        this.source = source;
        this.unbound = ElementCodecs.forType(type);
        this.directory = directory;
        this.region = createRegion(name, directory);
        try {
            StreamDescriptor.writeMeta(region.block(StreamDescriptor.META), type.getName());
            this.subscribe = region.ring(StreamDescriptor.SUBSCRIBE);
            this.codec = unbound.acquire(directory); // released by close, after the thread
        } catch (RuntimeException e) {
            region.unlink();
            region.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().daemon().name("millrace-publish-" + name).start(this::run);
    }

    private static SharedRegion createRegion(String name, ShmDirectory directory) {
        String regionName = StreamDescriptor.streamRegion(name);
        for (int attempt = 0; ; attempt++) {
            try {
                return directory.create(StreamDescriptor.streamSpec(name));
            } catch (RegionException e) {
                if (e.reason() != RegionException.Reason.ALREADY_EXISTS || attempt > 0) {
                    throw e;
                }
            }
            RegionSnapshot existing;
            try {
                existing = directory.inspect(regionName);
            } catch (RegionException e) {
                if (directory.isAbandonedUnready(regionName)) { // never made ready: its creator died making it
                    directory.unlink(regionName);
                }
                continue; // gone meanwhile, or removed just now: try once more
            }
            if (existing.creatorAlive()) {
                throw new StreamException(StreamException.Reason.ALREADY_PUBLISHED, "stream '" + name
                        + "' is already published by pid " + existing.creatorPid() + " in " + directory.path());
            }
            directory.unlink(regionName); // its publisher died without withdrawing it
        }
    }

    private void run() {
        try {
            while (!closed) {
                try {
                    subscribe.receive(this::onRecord, 16, IDLE);
                } catch (PeerGoneException e) {
                    // every subscriber that wrote here has gone: wait for new ones
                }
                arrived.forEach(this::accept);
                arrived.clear();
            }
            // subscriptions sent before the name was withdrawn are served: their subscribers wait for them
            while (subscribe.poll(this::onRecord, 64) > 0) {
                arrived.forEach(this::accept);
                arrived.clear();
            }
        } catch (RuntimeException e) {
            if (!closed) {
                System.err.println("millrace: stream '" + name + "' stopped taking subscriptions: " + e);
            }
        } finally {
            gate.shut(); // close() is not offering its wake as the region closes (see RegionGate)
            region.close();
        }
    }

    private void onRecord(int recordType, MemorySegment buffer, long offset, int length) {
        if (recordType != StreamDescriptor.SUBSCRIBE_TYPE || length < SUBSCRIBE_HEADER) {
            return; // SUBSCRIBE_WAKE: look at closed
        }
        long pid = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        long startMillis = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + 8);
        int nameLength = buffer.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 16);
        if (nameLength < 1 || nameLength > length - SUBSCRIBE_HEADER) {
            return;
        }
        byte[] regionName = new byte[nameLength];
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, offset + SUBSCRIBE_HEADER, regionName, 0, nameLength);
        arrived.add(new Subscribe(pid, startMillis, new String(regionName, StandardCharsets.US_ASCII)));
    }

    private void accept(Subscribe s) {
        SharedRegion subscription;
        try {
            subscription = directory.attach(s.region(), ATTACH_SUBSCRIBER);
        } catch (RuntimeException e) {
            // the subscriber cancelled (and removed its region) before we came, or died: then it is ours to remove
            StreamDescriptor.removeIfSubscriberDead(directory, s.region());
            return;
        }
        ExportSubscriber<T> subscriber;
        ElementCodec<T> bound = null;
        try {
            bound = unbound.acquire(directory);
            subscriber = new ExportSubscriber<>(this, source, bound, subscription, s.pid(), s.startMillis());
        } catch (RuntimeException e) {
            if (bound != null) {
                bound.release();
            }
            subscription.close();
            StreamDescriptor.removeIfSubscriberDead(directory, s.region());
            System.err.println("millrace: stream '" + name + "' refused subscription " + s.region() + ": " + e);
            return;
        }
        active.put(subscriber, bound);
        subscriber.start();
    }

    /**
     * Payload of this process's {@code SUBSCRIBE} record: pid (long), start in epoch ms (long), region name length
     * (int), region name (ASCII).
     */
    static MemorySegment subscribeRecord(String regionName) {
        byte[] bytes = regionName.getBytes(StandardCharsets.US_ASCII);
        MemorySegment record = MemorySegment.ofArray(new byte[SUBSCRIBE_HEADER + bytes.length]);
        record.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, ProcessHandle.current().pid());
        record.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, StreamDescriptor.startMillis(ProcessHandle.current()));
        record.set(ValueLayout.JAVA_INT_UNALIGNED, 16, bytes.length);
        MemorySegment.copy(bytes, 0, record, ValueLayout.JAVA_BYTE, SUBSCRIBE_HEADER, bytes.length);
        return record;
    }

    void onFinished(ExportSubscriber<T> subscriber) {
        ElementCodec<T> bound = active.remove(subscriber);
        if (bound != null) {
            bound.release();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Class<?> elementType() {
        return type;
    }

    @Override
    public int activeSubscriptions() {
        return active.size();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        directory.unlink(StreamDescriptor.streamRegion(name));
        if (gate.enter()) {
            try {
                subscribe.offer(StreamDescriptor.SUBSCRIBE_WAKE, StreamDescriptor.EMPTY);
            } catch (RuntimeException e) {
                // the thread has stopped already
            } finally {
                gate.exit();
            }
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            codec.release();
        }
        StreamDescriptor.removeAbandonedSubscriptions(directory, name);
    }

    @Override
    public String toString() {
        return "Publication[" + name + ", " + type.getName() + ", " + directory.path() + "]";
    }
}
