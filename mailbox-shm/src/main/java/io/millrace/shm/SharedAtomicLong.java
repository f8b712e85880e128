package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A {@code long} that lives in shared memory: one 8-byte, 8-byte-aligned word in a {@link MemorySegment},
 * typically part of a memory-mapped file under the base directory. It is the shared-memory counterpart of
 * {@link java.util.concurrent.atomic.AtomicLong}, for counters, sequences and flags that several processes
 * read and update.
 *
 * <h2>One word, seen by every process</h2>
 * The value is not held in this object: every method reads or writes the word at {@code offset} in the
 * segment. When the segment maps a file with {@code MapMode.READ_WRITE} (a {@code MAP_SHARED} mapping), every
 * process that maps the same file maps the same physical pages, so each sees the same value; two mappings in
 * one process, at different virtual addresses, see it too. A private (copy-on-write) mapping does not share
 * its writes. The word is stored in the platform's native byte order, which is all processes on one host
 * agree on; it is not a wire format between hosts.
 *
 * <h2>Why atomicity holds across processes</h2>
 * Each operation compiles to the processor's own atomic instructions ({@code LOCK XADD}, {@code LOCK
 * CMPXCHG}, {@code XCHG} on x86-64; {@code LDADDAL}, {@code CASAL} or load-linked/store-conditional loops on
 * AArch64). These act on the physical memory behind the virtual address, and the cache-coherence protocol
 * serialises them against every other core, whichever process or mapping the access comes from. The Java
 * Memory Model speaks only of threads in one JVM; across processes we rely on the fact that the access
 * modes below are implemented with the same hardware instructions and fences as C/C++
 * {@code std::atomic} on shared memory, so the guarantees carry over. The constructor insists on an aligned
 * word because an unaligned one could straddle cache lines, where the hardware makes no such promise.
 *
 * <h2>Memory ordering</h2>
 * The methods name their ordering, as {@link VarHandle}'s access modes do:
 * <ul>
 *   <li>{@link #get()} / {@link #set(long)}: volatile. Totally ordered with all other volatile accesses and
 *       read-modify-write operations. The safe default.</li>
 *   <li>{@link #getAcquire()} / {@link #setRelease(long)}: the publication pair. A writer fills in data, then
 *       calls {@code setRelease(v)}; a reader that sees {@code v} through {@code getAcquire()} also sees every
 *       write the writer made before the release. Cheaper than volatile (on x86-64 both are plain moves).</li>
 *   <li>{@link #getOpaque()} / {@link #setOpaque(long)}: relaxed. Atomic (never torn) and eventually visible,
 *       with coherent order for this one word, but no ordering of other memory around it. For statistics
 *       and monitoring tools that only look at the number.</li>
 *   <li>Read-modify-write operations ({@code incrementAndGet}, {@code getAndAdd}, {@code getAndSet},
 *       {@code compareAndSet}, {@code compareAndExchange}, ...) are volatile: atomic, and totally ordered
 *       with the volatile accesses above.</li>
 *   <li>{@link #weakCompareAndSet(long, long)} has volatile ordering when it succeeds (the semantics of
 *       {@code AtomicLong.weakCompareAndSetVolatile}, not of the deprecated plain
 *       {@code AtomicLong.weakCompareAndSet}), but may fail spuriously; call it in a retry loop.</li>
 * </ul>
 *
 * <h2>Overflow</h2>
 * {@code incrementAndGet}, {@code addAndGet} and their kin wrap around on overflow, as {@code AtomicLong}
 * does, and cost a single atomic instruction. The {@code ...Exact} variants never wrap: they read the value,
 * compute the sum with {@link Math#addExact(long, long)}, and install it with a compare-and-set, retrying
 * if another process got there first. On overflow they throw {@link ArithmeticException} and leave the value
 * as it was.
 *
 * <h2>Lifetime</h2>
 * The segment's arena decides how long the word may be accessed; after it is closed every method throws
 * {@link IllegalStateException}. A read-only segment allows the {@code get} methods only; writes throw
 * {@link IllegalArgumentException}. The word has no padding of its own: whoever lays out the region keeps
 * a contended atomic on a cache line (or two, against adjacent-line prefetch) of its own.
 */
public final class SharedAtomicLong {

    /** Reaches the {@code long} at (segment, offset); exact types only, so a stray {@code int} fails loudly. */
    private static final VarHandle VALUE = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    private final String name;
    private final MemorySegment segment;
    private final long offset;

    /**
     * Wraps the word at {@code offset} in {@code segment}; the memory is neither read nor written.
     *
     * @param name    the atomic's name, used in messages and {@link #toString()}
     * @param segment the memory holding the word, usually a shared mapping of a file
     * @param offset  byte offset of the word in the segment: a multiple of 8, and the whole word in the segment
     * @throws IllegalArgumentException if the offset is misaligned or out of range, or the segment's own
     *                                  address is not 8-byte aligned
     */
    SharedAtomicLong(String name, MemorySegment segment, long offset) {
        this.name = Objects.requireNonNull(name, "name");
        this.segment = Objects.requireNonNull(segment, "segment");
        this.offset = offset;
        checkWord(name, segment, offset, Long.BYTES);
    }

    /** Rejects a word that is misaligned or not wholly inside the segment; shared with {@link SharedAtomicInt}. */
    static void checkWord(String name, MemorySegment segment, long offset, int size) {
        if ((offset & (size - 1)) != 0) {
            throw new IllegalArgumentException("offset=" + offset + " is not a multiple of " + size
                + ": a shared atomic must be aligned to its size (name=" + name + ")");
        }
        if (offset < 0 || offset > segment.byteSize() - size) {
            throw new IllegalArgumentException("offset=" + offset + " does not leave " + size
                + " bytes inside the segment (name=" + name + ", segmentSize=" + segment.byteSize() + ")");
        }
        if (segment.maxByteAlignment() < size) {
            throw new IllegalArgumentException("offset=" + offset + " is aligned, but the segment starts at an address"
                + " aligned to only " + segment.maxByteAlignment() + " bytes, so the word would not be " + size
                + "-byte aligned (name=" + name + ", segmentAddress=0x" + Long.toHexString(segment.address()) + ")");
        }
    }

    /** {@return the name this atomic was created with} */
    public String name() {
        return name;
    }

    // ---- plain reads and writes, by ordering -------------------------------------------------------------

    /** {@return the value, read with volatile semantics} */
    public long get() {
        return (long) VALUE.getVolatile(segment, offset);
    }

    /** Writes {@code newValue} with volatile semantics. */
    public void set(long newValue) {
        VALUE.setVolatile(segment, offset, newValue);
    }

    /** {@return the value, read atomically with no ordering of surrounding memory} */
    public long getOpaque() {
        return (long) VALUE.getOpaque(segment, offset);
    }

    /** Writes {@code newValue} atomically with no ordering of surrounding memory. */
    public void setOpaque(long newValue) {
        VALUE.setOpaque(segment, offset, newValue);
    }

    /**
     * {@return the value, read with acquire semantics} Later reads and writes of this thread are not
     * reordered before it.
     */
    public long getAcquire() {
        return (long) VALUE.getAcquire(segment, offset);
    }

    /**
     * Writes {@code newValue} with release semantics: earlier reads and writes of this thread are not
     * reordered after it.
     */
    public void setRelease(long newValue) {
        VALUE.setRelease(segment, offset, newValue);
    }

    // ---- arithmetic that wraps on overflow (one atomic instruction) ---------------------------------------

    /** {@return the value after adding one} Wraps from {@code MAX_VALUE} to {@code MIN_VALUE}. */
    public long incrementAndGet() {
        return (long) VALUE.getAndAdd(segment, offset, 1L) + 1L;
    }

    /** {@return the value before adding one} Wraps on overflow. */
    public long getAndIncrement() {
        return (long) VALUE.getAndAdd(segment, offset, 1L);
    }

    /** {@return the value after subtracting one} Wraps from {@code MIN_VALUE} to {@code MAX_VALUE}. */
    public long decrementAndGet() {
        return (long) VALUE.getAndAdd(segment, offset, -1L) - 1L;
    }

    /** {@return the value before subtracting one} Wraps on overflow. */
    public long getAndDecrement() {
        return (long) VALUE.getAndAdd(segment, offset, -1L);
    }

    /** {@return the value after adding {@code delta}} Wraps on overflow. */
    public long addAndGet(long delta) {
        return (long) VALUE.getAndAdd(segment, offset, delta) + delta;
    }

    /** {@return the value before adding {@code delta}} Wraps on overflow. */
    public long getAndAdd(long delta) {
        return (long) VALUE.getAndAdd(segment, offset, delta);
    }

    // ---- compare-and-set and exchange ---------------------------------------------------------------------

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}, with volatile semantics.
     *
     * @return whether the value was {@code expectedValue} and is now {@code newValue}
     */
    public boolean compareAndSet(long expectedValue, long newValue) {
        return (boolean) VALUE.compareAndSet(segment, offset, expectedValue, newValue);
    }

    /**
     * Like {@link #compareAndSet(long, long)}, with volatile semantics, but may fail spuriously (return
     * {@code false} although the value was {@code expectedValue}); it never succeeds wrongly. For retry loops.
     *
     * @return whether the value was {@code expectedValue} and is now {@code newValue}
     */
    public boolean weakCompareAndSet(long expectedValue, long newValue) {
        return (boolean) VALUE.weakCompareAndSet(segment, offset, expectedValue, newValue);
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}, with volatile semantics.
     *
     * @return the witness value: the value found, which equals {@code expectedValue} exactly when the
     *         exchange happened
     */
    public long compareAndExchange(long expectedValue, long newValue) {
        return (long) VALUE.compareAndExchange(segment, offset, expectedValue, newValue);
    }

    /** {@return the value replaced} Sets the value to {@code newValue}, with volatile semantics. */
    public long getAndSet(long newValue) {
        return (long) VALUE.getAndSet(segment, offset, newValue);
    }

    // ---- arithmetic that throws on overflow (compare-and-set loop) ----------------------------------------

    /**
     * Adds one, or throws instead of wrapping.
     *
     * @return the value after
     * @throws ArithmeticException if the value is {@code Long.MAX_VALUE}; the value is left unchanged
     */
    public long incrementAndGetExact() {
        return addAndGetExact(1L);
    }

    /**
     * Subtracts one, or throws instead of wrapping.
     *
     * @return the value after
     * @throws ArithmeticException if the value is {@code Long.MIN_VALUE}; the value is left unchanged
     */
    public long decrementAndGetExact() {
        return addAndGetExact(-1L);
    }

    /**
     * Adds {@code delta}, or throws instead of wrapping.
     *
     * @return the value after
     * @throws ArithmeticException if the sum overflows a {@code long}; the value is left unchanged
     */
    public long addAndGetExact(long delta) {
        long current = (long) VALUE.getVolatile(segment, offset);
        while (true) {
            long next = addExact(current, delta);
            long witness = (long) VALUE.compareAndExchange(segment, offset, current, next);
            if (witness == current) {
                return next;
            }
            current = witness;
        }
    }

    /**
     * Adds {@code delta}, or throws instead of wrapping.
     *
     * @return the value before
     * @throws ArithmeticException if the sum overflows a {@code long}; the value is left unchanged
     */
    public long getAndAddExact(long delta) {
        long current = (long) VALUE.getVolatile(segment, offset);
        while (true) {
            long next = addExact(current, delta);
            long witness = (long) VALUE.compareAndExchange(segment, offset, current, next);
            if (witness == current) {
                return current;
            }
            current = witness;
        }
    }

    private long addExact(long current, long delta) {
        try {
            return Math.addExact(current, delta);
        } catch (ArithmeticException overflow) {
            ArithmeticException named = new ArithmeticException("long overflow in shared atomic: name=" + name
                + ", value=" + current + ", delta=" + delta + "; the value is left unchanged");
            named.initCause(overflow);
            throw named;
        }
    }

    /**
     * {@return {@code SharedAtomicLong[name=..., value=...]}} The value is read with volatile semantics; if the
     * memory can no longer be read here (arena closed, or confined to another thread), the text says so.
     */
    @Override
    public String toString() {
        String value;
        try {
            value = Long.toString(get());
        } catch (IllegalStateException | WrongThreadException unreadable) {
            value = "<unreadable: " + unreadable.getMessage() + ">";
        }
        return "SharedAtomicLong[name=" + name + ", value=" + value + "]";
    }
}
