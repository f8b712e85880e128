package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@code int} that lives in shared memory: one 4-byte, 4-byte-aligned word in a {@link MemorySegment},
 * typically part of a memory-mapped file under the base directory. It is the shared-memory counterpart of
 * {@link java.util.concurrent.atomic.AtomicInteger}, and the {@code int} twin of {@link SharedAtomicLong}:
 * everything the latter's class documentation says holds here word for word, for a 4-byte word. In short:
 * <ul>
 *   <li>The value is not held in this object; every process that maps the file ({@code READ_WRITE}, i.e.
 *       {@code MAP_SHARED}) sees the same word, and read-modify-write operations are atomic across
 *       processes because they are the processor's atomic instructions acting on the shared physical
 *       memory.</li>
 *   <li>{@link #get()}/{@link #set(int)} are volatile, {@link #getAcquire()}/{@link #setRelease(int)} the
 *       publication pair, {@link #getOpaque()}/{@link #setOpaque(int)} relaxed; read-modify-write
 *       operations are volatile; {@link #weakCompareAndSet(int, int)} is volatile but may fail spuriously.</li>
 *   <li>{@code incrementAndGet} and kin wrap on overflow; the {@code ...Exact} variants throw
 *       {@link ArithmeticException} and leave the value unchanged.</li>
 * </ul>
 * A 32-bit word is also what Linux's {@code futex} waits on, so an {@code int} is the natural choice for a
 * flag or sequence that a blocked process sleeps on.
 */
public final class SharedAtomicInt {

    /** Reaches the {@code int} at (segment, offset); exact types only, so a stray {@code long} fails loudly. */
    private static final VarHandle VALUE = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private final String name;
    private final MemorySegment segment;
    private final long offset;
    /** The word alone, for the futex calls (sliced once, not per wait or wake). */
    private final MemorySegment word;

    /**
     * Wraps the word at {@code offset} in {@code segment}; the memory is neither read nor written.
     *
     * @param name    the atomic's name, used in messages and {@link #toString()}
     * @param segment the memory holding the word, usually a shared mapping of a file
     * @param offset  byte offset of the word in the segment: a multiple of 4, and the whole word in the segment
     * @throws IllegalArgumentException if the offset is misaligned or out of range, or the segment's own
     *                                  address is not 4-byte aligned
     */
    SharedAtomicInt(String name, MemorySegment segment, long offset) {
        this.name = Objects.requireNonNull(name, "name");
        this.segment = Objects.requireNonNull(segment, "segment");
        this.offset = offset;
        SharedAtomicLong.checkWord(name, segment, offset, Integer.BYTES);
        this.word = segment.asSlice(offset, Integer.BYTES);
    }

    /**
     * The word at {@code offset} of a {@link SharedRegion#block block}: for a table of flags of the caller's own
     * that processes wait on ({@link #awaitChange}) and wake ({@link #wakeAll}).
     *
     * @param name    the atomic's name, for messages
     * @param segment the memory holding the word (a block of a region)
     * @param offset  byte offset of the word: a multiple of 4, inside the segment
     * @return a handle on the word; the memory is neither read nor written
     * @throws IllegalArgumentException if the offset is misaligned or out of range
     */
    public static SharedAtomicInt at(String name, MemorySegment segment, long offset) {
        return new SharedAtomicInt(name, segment, offset);
    }

    /** {@return the name this atomic was created with} */
    public String name() {
        return name;
    }

    // ---- plain reads and writes, by ordering -------------------------------------------------------------

    /** {@return the value, read with volatile semantics} */
    public int get() {
        return (int) VALUE.getVolatile(segment, offset);
    }

    /** Writes {@code newValue} with volatile semantics. */
    public void set(int newValue) {
        VALUE.setVolatile(segment, offset, newValue);
    }

    /** {@return the value, read atomically with no ordering of surrounding memory} */
    public int getOpaque() {
        return (int) VALUE.getOpaque(segment, offset);
    }

    /** Writes {@code newValue} atomically with no ordering of surrounding memory. */
    public void setOpaque(int newValue) {
        VALUE.setOpaque(segment, offset, newValue);
    }

    /**
     * {@return the value, read with acquire semantics} Later reads and writes of this thread are not
     * reordered before it.
     */
    public int getAcquire() {
        return (int) VALUE.getAcquire(segment, offset);
    }

    /**
     * Writes {@code newValue} with release semantics: earlier reads and writes of this thread are not
     * reordered after it.
     */
    public void setRelease(int newValue) {
        VALUE.setRelease(segment, offset, newValue);
    }

    // ---- arithmetic that wraps on overflow (one atomic instruction) ---------------------------------------

    /** {@return the value after adding one} Wraps from {@code MAX_VALUE} to {@code MIN_VALUE}. */
    public int incrementAndGet() {
        return (int) VALUE.getAndAdd(segment, offset, 1) + 1;
    }

    /** {@return the value before adding one} Wraps on overflow. */
    public int getAndIncrement() {
        return (int) VALUE.getAndAdd(segment, offset, 1);
    }

    /** {@return the value after subtracting one} Wraps from {@code MIN_VALUE} to {@code MAX_VALUE}. */
    public int decrementAndGet() {
        return (int) VALUE.getAndAdd(segment, offset, -1) - 1;
    }

    /** {@return the value before subtracting one} Wraps on overflow. */
    public int getAndDecrement() {
        return (int) VALUE.getAndAdd(segment, offset, -1);
    }

    /** {@return the value after adding {@code delta}} Wraps on overflow. */
    public int addAndGet(int delta) {
        return (int) VALUE.getAndAdd(segment, offset, delta) + delta;
    }

    /** {@return the value before adding {@code delta}} Wraps on overflow. */
    public int getAndAdd(int delta) {
        return (int) VALUE.getAndAdd(segment, offset, delta);
    }

    // ---- compare-and-set and exchange ---------------------------------------------------------------------

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}, with volatile semantics.
     *
     * @return whether the value was {@code expectedValue} and is now {@code newValue}
     */
    public boolean compareAndSet(int expectedValue, int newValue) {
        return (boolean) VALUE.compareAndSet(segment, offset, expectedValue, newValue);
    }

    /**
     * Like {@link #compareAndSet(int, int)}, with volatile semantics, but may fail spuriously (return
     * {@code false} although the value was {@code expectedValue}); it never succeeds wrongly. For retry loops.
     *
     * @return whether the value was {@code expectedValue} and is now {@code newValue}
     */
    public boolean weakCompareAndSet(int expectedValue, int newValue) {
        return (boolean) VALUE.weakCompareAndSet(segment, offset, expectedValue, newValue);
    }

    /**
     * Sets the value to {@code newValue} if it is {@code expectedValue}, with volatile semantics.
     *
     * @return the witness value: the value found, which equals {@code expectedValue} exactly when the
     *         exchange happened
     */
    public int compareAndExchange(int expectedValue, int newValue) {
        return (int) VALUE.compareAndExchange(segment, offset, expectedValue, newValue);
    }

    /** {@return the value replaced} Sets the value to {@code newValue}, with volatile semantics. */
    public int getAndSet(int newValue) {
        return (int) VALUE.getAndSet(segment, offset, newValue);
    }

    // ---- arithmetic that throws on overflow (compare-and-set loop) ----------------------------------------

    /**
     * Adds one, or throws instead of wrapping.
     *
     * @return the value after
     * @throws ArithmeticException if the value is {@code Integer.MAX_VALUE}; the value is left unchanged
     */
    public int incrementAndGetExact() {
        return addAndGetExact(1);
    }

    /**
     * Subtracts one, or throws instead of wrapping.
     *
     * @return the value after
     * @throws ArithmeticException if the value is {@code Integer.MIN_VALUE}; the value is left unchanged
     */
    public int decrementAndGetExact() {
        return addAndGetExact(-1);
    }

    /**
     * Adds {@code delta}, or throws instead of wrapping.
     *
     * @return the value after
     * @throws ArithmeticException if the sum overflows an {@code int}; the value is left unchanged
     */
    public int addAndGetExact(int delta) {
        int current = (int) VALUE.getVolatile(segment, offset);
        while (true) {
            int next = addExact(current, delta);
            int witness = (int) VALUE.compareAndExchange(segment, offset, current, next);
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
     * @throws ArithmeticException if the sum overflows an {@code int}; the value is left unchanged
     */
    public int getAndAddExact(int delta) {
        int current = (int) VALUE.getVolatile(segment, offset);
        while (true) {
            int next = addExact(current, delta);
            int witness = (int) VALUE.compareAndExchange(segment, offset, current, next);
            if (witness == current) {
                return current;
            }
            current = witness;
        }
    }

    private int addExact(int current, int delta) {
        try {
            return Math.addExact(current, delta);
        } catch (ArithmeticException overflow) {
            ArithmeticException named = new ArithmeticException("int overflow in shared atomic: name=" + name
                + ", value=" + current + ", delta=" + delta + "; the value is left unchanged");
            named.initCause(overflow);
            throw named;
        }
    }

    // ---- waiting across processes ------------------------------------------------------------------------

    /**
     * Sleeps while the value equals {@code expected}, at most {@code timeoutNanos}: a futex wait on the word,
     * which a {@link #wakeAll()} in any process that maps it ends (a timed park where futexes are not available).
     * Returns at once if the value differs; may return early (a wake, a signal, spuriously): callers re-check.
     *
     * @param expected     the value to sleep on
     * @param timeoutNanos the longest sleep, in nanoseconds, positive
     * @throws IllegalArgumentException if {@code timeoutNanos} is not positive
     */
    public void awaitChange(int expected, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos=" + timeoutNanos + " must be positive (name=" + name + ")");
        }
        if (get() != expected) {
            return;
        }
        if (Futex.AVAILABLE) {
            Futex.await(word, expected, timeoutNanos);
        } else {
            LockSupport.parkNanos(Math.min(timeoutNanos, 50_000));
        }
    }

    /**
     * Wakes every thread of every process sleeping in {@link #awaitChange} on this word: a system call, so
     * callers keep a flag of their own saying whether anyone sleeps.
     */
    public void wakeAll() {
        if (Futex.AVAILABLE) {
            Futex.wakeAll(word);
        }
    }

    /**
     * {@return {@code SharedAtomicInt[name=..., value=...]}} The value is read with volatile semantics; if the
     * memory can no longer be read here (arena closed, or confined to another thread), the text says so.
     */
    @Override
    public String toString() {
        String value;
        try {
            value = Integer.toString(get());
        } catch (IllegalStateException | WrongThreadException unreadable) {
            value = "<unreadable: " + unreadable.getMessage() + ">";
        }
        return "SharedAtomicInt[name=" + name + ", value=" + value + "]";
    }
}
