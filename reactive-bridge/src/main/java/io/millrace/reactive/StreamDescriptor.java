package io.millrace.reactive;

import io.millrace.actors.remote.ProcessWatch;
import io.millrace.shm.CleanDecision;
import io.millrace.shm.RegionException;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The regions, rings and records of a stream across processes.
 *
 * <pre>
 *  stream region "stream.NAME" (created by the publisher, removed when it withdraws the name)
 *  +------------------------------------------------------------------+
 *  | block "meta" (1 KiB): publisherPid (long, release: 0 = not yet)  |
 *  |   | publisherStartMillis (long, 0 = unknown) | typeLength (int)   |
 *  |   | element type's class name (UTF-8)                            |
 *  | MPSC ring "subscribe" (16 KiB): SUBSCRIBE(pid, startMillis,       |
 *  |   region name length, region name)                               |
 *  +------------------------------------------------------------------+
 *
 *  subscription region "stream.NAME.PID.N" (created by one subscriber, removed by it, or by the publisher when the
 *  subscriber died: see "Removing a subscription region" below)
 *  +------------------------------------------------------------------+
 *  | MPSC ring "data" (publisher -> subscriber): ELEMENT | FRAGMENT... |
 *  |   COMPLETE | ERROR, then nothing; WAKE from the subscriber's own  |
 *  |   process (a cancel, the publisher's death)                      |
 *  | MPSC ring "control" (subscriber -> publisher): REQUEST(n) |       |
 *  |   CANCEL; WAKE from the publisher's own process                  |
 *  | atomic long "cancelled": 1 once the subscriber cancelled, for a   |
 *  |   publisher waiting for room in a full data ring                 |
 *  +------------------------------------------------------------------+
 * </pre>
 *
 * An element of at most the data ring's {@code maxMessageLength} bytes is one {@code ELEMENT} record; a longer one,
 * or an error, is sent as a {@code FRAGMENT_START} record ({@code kind} = {@code ELEMENT} or {@code ERROR}, total
 * length, first bytes) and {@code FRAGMENT} records until the total is reached.
 *
 * <h2>Removing a subscription region</h2>
 * While the subscriber lives, it alone removes its region, in every ending (completion, error, cancel, the
 * publisher's death, a handshake that failed). Once it is dead, the publisher does, whatever it saw of the death:
 * <ul>
 *   <li>the {@link ExportSubscriber} serving the region, when it detaches and finds the region's creator dead
 *   ({@link #removeIfSubscriberDead}): also after a stream that ended just as its subscriber was killed, before
 *   the death was told;</li>
 *   <li>the {@link Export} taking subscriptions, when it cannot attach a region whose creator is dead;</li>
 *   <li>the {@link Export} on close, for regions of its name that no live process uses
 *   ({@link #removeAbandonedSubscriptions}): a subscriber killed between creating its region and sending
 *   {@code SUBSCRIBE}, whose record the publisher never read.</li>
 * </ul>
 * A subscriber killed mid-handshake whose publisher never closes leaves its region to
 * {@link ShmDirectory#clean()}, as does a subscriber killed after a publisher that had finished and detached. When
 * both sides died, nobody is left to remove any of the stream's regions: {@link Streams#removeDeadRegions} does,
 * for whoever knows the name (the parent of killed workers, say), through {@link #removeAbandoned}.
 */
final class StreamDescriptor {
    static final String META = "meta";
    static final String SUBSCRIBE = "subscribe";
    static final String DATA = "data";
    static final String CONTROL = "control";
    static final String CANCELLED = "cancelled";

    static final int META_BYTES = 1024;
    static final long META_PID_OFFSET = 0;
    static final long META_START_OFFSET = 8;
    static final long META_TYPE_LENGTH_OFFSET = 16;
    static final long META_TYPE_OFFSET = 20;
    static final int SUBSCRIBE_CAPACITY = 16 * 1024;
    static final int CONTROL_CAPACITY = 16 * 1024;
    static final int DATA_CAPACITY = 256 * 1024;
    static final int SUBSCRIPTION_PARTICIPANTS = 8;

    // subscribe ring
    static final int SUBSCRIBE_TYPE = 1;
    static final int SUBSCRIBE_WAKE = 2;
    // data ring
    static final int ELEMENT = 1;
    static final int FRAGMENT_START = 2;
    static final int FRAGMENT = 3;
    static final int COMPLETE = 4;
    static final int ERROR = 5;
    static final int DATA_WAKE = 6;
    /** Bytes of a {@code FRAGMENT_START} header: kind (int), total length (int). */
    static final int FRAGMENT_START_HEADER = 8;
    // control ring
    static final int REQUEST = 1;
    static final int CANCEL = 2;
    static final int CONTROL_WAKE = 3;

    /** The payload of records that carry none. */
    static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    static final int MAX_NAME_LENGTH = 60;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    /**
     * A name ending so reads as a subscription of another stream: stream {@code a.1.2}'s region {@code stream.a.1.2}
     * is also subscription 2 of pid 1 to stream {@code a}. Refused, so that a region name says whose it is: the
     * stream is what precedes the last two components of a subscription's name, and none of its own.
     */
    private static final Pattern SUBSCRIPTION_SUFFIX = Pattern.compile(".*\\.[0-9]+\\.[0-9]+");
    private static final String PREFIX = "stream.";

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    private StreamDescriptor() {
    }

    /**
     * Checks a stream name: letters, digits, '.', '_', '-', no leading dot, at most 60 characters, and not ending in
     * two all-digit components ({@code .1.2}: the name of a subscription region of another stream).
     */
    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("stream name='" + name + "' must be 1 to " + MAX_NAME_LENGTH
                    + " characters of [A-Za-z0-9._-], not starting with '.' nor holding '..'");
        }
        if (SUBSCRIPTION_SUFFIX.matcher(name).matches()) {
            String other = name.substring(0, name.lastIndexOf('.', name.lastIndexOf('.') - 1));
            throw new IllegalArgumentException("stream name='" + name + "' must not end in two all-digit components:"
                    + " its region " + streamRegion(name) + " would read as a subscription region of stream '"
                    + other + "' (" + PREFIX + "NAME.PID.N)");
        }
        return name;
    }

    static String streamRegion(String name) {
        return PREFIX + name;
    }

    static String subscriptionRegion(String name, long pid, long serial) {
        return PREFIX + name + "." + pid + "." + serial;
    }

    /**
     * Removes subscription region {@code regionName} when its creator, the subscriber, is dead (nobody else would);
     * true when removed. A region already gone or not readable is left alone.
     */
    static boolean removeIfSubscriberDead(ShmDirectory directory, String regionName) {
        try {
            if (directory.inspect(regionName).creatorAlive()) {
                return false;
            }
        } catch (RegionException e) {
            return false; // removed by its subscriber, or not a ready region: ShmDirectory.clean judges those
        }
        return directory.unlink(regionName);
    }

    /**
     * Removes the subscription regions of stream {@code name} that no live process uses (as
     * {@link ShmDirectory#cleanPlan()} judges them, a region its creator died making included); for a publisher's
     * close, after it stopped taking subscriptions. A failure is reported on stderr: the close goes on.
     */
    static void removeAbandonedSubscriptions(ShmDirectory directory, String name) {
        try {
            removeAbandoned(directory, name, false);
        } catch (RuntimeException e) {
            System.err.println("millrace: cannot remove abandoned subscriptions of stream '" + name + "': " + e);
        }
    }

    /**
     * Removes the regions of stream {@code name} that no live process uses, as {@link ShmDirectory#cleanPlan()}
     * judges them: its subscription regions {@code stream.NAME.PID.N} and, if {@code publicationToo}, its stream
     * region {@code stream.NAME}. A region a live process is attached to (its publisher or subscriber) is kept.
     *
     * @return the names of the regions removed
     */
    static List<String> removeAbandoned(ShmDirectory directory, String name, boolean publicationToo) {
        String publication = streamRegion(name);
        Pattern subscription = Pattern.compile(Pattern.quote(publication + ".") + "[0-9]+\\.[0-9]+");
        List<String> removed = new ArrayList<>();
        for (CleanDecision decision : directory.cleanPlan()) {
            boolean ours = subscription.matcher(decision.name()).matches()
                    || publicationToo && decision.name().equals(publication);
            if (decision.remove() && ours && directory.unlink(decision.name())) {
                removed.add(decision.name());
            }
        }
        return List.copyOf(removed);
    }

    static RegionSpec streamSpec(String name) {
        return RegionSpec.named(streamRegion(name))
                .block(META, META_BYTES)
                .mpscRing(SUBSCRIBE, SUBSCRIBE_CAPACITY)
                .build();
    }

    static RegionSpec subscriptionSpec(String regionName, int dataCapacity) {
        return RegionSpec.named(regionName)
                .participants(SUBSCRIPTION_PARTICIPANTS)
                .mpscRing(DATA, dataCapacity)
                .mpscRing(CONTROL, CONTROL_CAPACITY)
                .atomicLong(CANCELLED)
                .build();
    }

    /**
     * Writes this process's pid and start and the element type; the pid last, with release: a reader that sees it
     * sees the rest.
     */
    static void writeMeta(MemorySegment meta, String typeName) {
        byte[] type = typeName.getBytes(StandardCharsets.UTF_8);
        if (type.length > META_BYTES - META_TYPE_OFFSET) {
            throw new IllegalArgumentException("element type name of " + type.length + " bytes is longer than "
                    + (META_BYTES - META_TYPE_OFFSET) + ": " + typeName);
        }
        meta.set(ValueLayout.JAVA_LONG, META_START_OFFSET, startMillis(ProcessHandle.current()));
        meta.set(ValueLayout.JAVA_INT, META_TYPE_LENGTH_OFFSET, type.length);
        MemorySegment.copy(type, 0, meta, ValueLayout.JAVA_BYTE, META_TYPE_OFFSET, type.length);
        LONG.setRelease(meta, META_PID_OFFSET, ProcessHandle.current().pid());
    }

    /** The publisher's start in epoch milliseconds, 0 when unknown; read after {@link #publisherPid}. */
    static long publisherStartMillis(MemorySegment meta) {
        return meta.get(ValueLayout.JAVA_LONG, META_START_OFFSET);
    }

    /** A process's start in epoch milliseconds (as {@link ProcessHandle.Info#startInstant()} has it), 0 if unknown. */
    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Runs {@code onExit} once when the process {@code pid} that started at {@code startMillis} exits: at once when
     * the process now under that pid started more than 2 s apart from it (the pid was reused; the tolerance absorbs
     * a wall-clock step between the two readings, as the boot time behind both moves with it).
     */
    static AutoCloseable watch(long pid, long startMillis, Runnable onExit) {
        if (startMillis != 0) {
            long now = ProcessHandle.of(pid).map(StreamDescriptor::startMillis).orElse(0L);
            if (now != 0 && Math.abs(now - startMillis) > 2_000) {
                onExit.run();
                return () -> { };
            }
        }
        return ProcessWatch.shared().watch(pid, java.util.Optional.empty(), onExit);
    }

    /** The publisher's pid, 0 while it has not written the meta block yet. */
    static long publisherPid(MemorySegment meta) {
        return (long) LONG.getAcquire(meta, META_PID_OFFSET);
    }

    /** The element type's name; read after {@link #publisherPid} returned non-zero. */
    static String typeName(MemorySegment meta) {
        int length = meta.get(ValueLayout.JAVA_INT, META_TYPE_LENGTH_OFFSET);
        if (length < 0 || length > META_BYTES - META_TYPE_OFFSET) {
            return "<corrupt type length=" + length + ">";
        }
        byte[] bytes = new byte[length];
        MemorySegment.copy(meta, ValueLayout.JAVA_BYTE, META_TYPE_OFFSET, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
