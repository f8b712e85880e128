package io.millrace.shm;

import static io.millrace.shm.ConcurrentTestSupport.runTogether;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SharedAtomicLongTest {

    private static final long SEGMENT_SIZE = 64;
    /** Not zero, so that a method ignoring the offset would touch the wrong word and fail. */
    private static final long OFFSET = 16;
    private static final String NAME = "requests";

    private static final int THREADS = 4;
    private static final int INCREMENTS_PER_THREAD = 100_000;

    private Arena arena;
    private MemorySegment segment;
    private SharedAtomicLong atomic;

    @BeforeEach
    void createAtomicInConfinedMemory() {
        arena = Arena.ofConfined();
        segment = arena.allocate(SEGMENT_SIZE, Long.BYTES);
        atomic = new SharedAtomicLong(NAME, segment, OFFSET);
    }

    @AfterEach
    void freeMemory() {
        arena.close();
    }

    // ---- construction and validation ----------------------------------------------------------------------

    @Test
    void shouldReadWhateverTheSharedWordAlreadyHolds() {
        segment.set(JAVA_LONG, 32, 42L);

        SharedAtomicLong existing = new SharedAtomicLong("existing", segment, 32);

        assertThat(existing.get()).isEqualTo(42L);
    }

    @Test
    void shouldWriteTheWordAtItsOffsetAndNoOtherByte() {
        segment.fill((byte) 0x5A);

        atomic.set(0x0102_0304_0506_0708L);

        assertThat(segment.get(JAVA_LONG, OFFSET)).isEqualTo(0x0102_0304_0506_0708L);
        for (long i = 0; i < SEGMENT_SIZE; i++) {
            if (i < OFFSET || i >= OFFSET + Long.BYTES) {
                assertThat(segment.get(JAVA_BYTE, i)).as("byte %d", i).isEqualTo((byte) 0x5A);
            }
        }
    }

    @Test
    void shouldReportItsName() {
        assertThat(atomic.name()).isEqualTo(NAME);
    }

    @Test
    void shouldShowNameAndValueInToString() {
        atomic.set(-7L);

        assertThat(atomic).hasToString("SharedAtomicLong[name=requests, value=-7]");
    }

    @Test
    void shouldSayInToStringThatTheValueIsUnreadableOnceTheArenaIsClosed() {
        Arena closed = Arena.ofConfined();
        SharedAtomicLong orphan = new SharedAtomicLong("orphan", closed.allocate(JAVA_LONG), 0);
        closed.close();

        assertThat(orphan.toString()).startsWith("SharedAtomicLong[name=orphan, value=<unreadable: ");
        assertThatThrownBy(orphan::get).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "offset={0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 9, 12, 15, 20, -1, -4})
    void shouldRejectOffsetNotAlignedToEightBytes(long offset) {
        assertThatThrownBy(() -> new SharedAtomicLong(NAME, segment, offset))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContainingAll("offset=" + offset + " ", "multiple of 8", "name=requests");
    }

    @ParameterizedTest(name = "offset={0}")
    @ValueSource(longs = {-8, -64, SEGMENT_SIZE, SEGMENT_SIZE + 8, 1L << 40, Long.MAX_VALUE & ~7L, Long.MIN_VALUE})
    void shouldRejectOffsetOutsideTheSegment(long offset) {
        assertThatThrownBy(() -> new SharedAtomicLong(NAME, segment, offset))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContainingAll("offset=" + offset + " ", "segmentSize=64", "name=requests");
    }

    @Test
    void shouldAcceptTheLastWholeWordOfTheSegment() {
        SharedAtomicLong last = new SharedAtomicLong("last", segment, SEGMENT_SIZE - Long.BYTES);

        last.set(Long.MIN_VALUE);

        assertThat(segment.get(JAVA_LONG, SEGMENT_SIZE - Long.BYTES)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldRejectSegmentShorterThanOneWord() {
        MemorySegment tooShort = segment.asSlice(0, 4);

        assertThatThrownBy(() -> new SharedAtomicLong(NAME, tooShort, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("offset=0 ");
    }

    @Test
    void shouldRejectSegmentWhoseAddressIsNotEightByteAligned() {
        MemorySegment shifted = segment.asSlice(4);

        assertThatThrownBy(() -> new SharedAtomicLong(NAME, shifted, 8))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContainingAll("offset=8 ", "aligned to only 4 bytes");
    }

    @Test
    void shouldRejectMissingNameOrSegment() {
        assertThatThrownBy(() -> new SharedAtomicLong(null, segment, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SharedAtomicLong(NAME, null, 0)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldReadThroughAReadOnlySegmentButRefuseToWrite() {
        SharedAtomicLong readOnly = new SharedAtomicLong(NAME, segment.asReadOnly(), OFFSET);
        atomic.set(5L);

        assertThat(readOnly.get()).isEqualTo(5L);
        assertThat(readOnly.getOpaque()).isEqualTo(5L);
        assertThat(readOnly.getAcquire()).isEqualTo(5L);
        assertThatThrownBy(() -> readOnly.set(6L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(readOnly::incrementAndGet).isInstanceOf(IllegalArgumentException.class);
        assertThat(atomic.get()).isEqualTo(5L);
    }

    // ---- reads and writes by ordering ---------------------------------------------------------------------

    @Test
    void shouldGetWhatWasSetWithVolatileSemantics() {
        atomic.set(Long.MAX_VALUE);

        assertThat(atomic.get()).isEqualTo(Long.MAX_VALUE);
        assertThat(segment.get(JAVA_LONG, OFFSET)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldGetOpaqueWhatWasSetOpaque() {
        atomic.setOpaque(-123_456_789_012L);

        assertThat(atomic.getOpaque()).isEqualTo(-123_456_789_012L);
        assertThat(atomic.get()).isEqualTo(-123_456_789_012L);
    }

    @Test
    void shouldGetAcquireWhatWasSetRelease() {
        atomic.setRelease(Long.MIN_VALUE);

        assertThat(atomic.getAcquire()).isEqualTo(Long.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Long.MIN_VALUE);
    }

    // ---- arithmetic that wraps ----------------------------------------------------------------------------

    @Test
    void shouldIncrementAndReturnTheNewValue() {
        atomic.set(41L);

        assertThat(atomic.incrementAndGet()).isEqualTo(42L);
        assertThat(atomic.get()).isEqualTo(42L);
    }

    @Test
    void shouldIncrementAndReturnThePreviousValue() {
        atomic.set(41L);

        assertThat(atomic.getAndIncrement()).isEqualTo(41L);
        assertThat(atomic.get()).isEqualTo(42L);
    }

    @Test
    void shouldDecrementAndReturnTheNewValue() {
        atomic.set(0L);

        assertThat(atomic.decrementAndGet()).isEqualTo(-1L);
        assertThat(atomic.get()).isEqualTo(-1L);
    }

    @Test
    void shouldDecrementAndReturnThePreviousValue() {
        atomic.set(0L);

        assertThat(atomic.getAndDecrement()).isEqualTo(0L);
        assertThat(atomic.get()).isEqualTo(-1L);
    }

    @Test
    void shouldAddDeltaAndReturnTheNewValue() {
        atomic.set(100L);

        assertThat(atomic.addAndGet(5_000_000_000L)).isEqualTo(5_000_000_100L);
        assertThat(atomic.addAndGet(-5_000_000_200L)).isEqualTo(-100L);
        assertThat(atomic.get()).isEqualTo(-100L);
    }

    @Test
    void shouldAddDeltaAndReturnThePreviousValue() {
        atomic.set(100L);

        assertThat(atomic.getAndAdd(5_000_000_000L)).isEqualTo(100L);
        assertThat(atomic.getAndAdd(-5_000_000_200L)).isEqualTo(5_000_000_100L);
        assertThat(atomic.get()).isEqualTo(-100L);
    }

    @Test
    void shouldWrapToMinValueOnUncheckedIncrementAtMaxValue() {
        atomic.set(Long.MAX_VALUE);
        assertThat(atomic.incrementAndGet()).isEqualTo(Long.MIN_VALUE);

        atomic.set(Long.MAX_VALUE);
        assertThat(atomic.getAndIncrement()).isEqualTo(Long.MAX_VALUE);
        assertThat(atomic.get()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldWrapToMaxValueOnUncheckedDecrementAtMinValue() {
        atomic.set(Long.MIN_VALUE);
        assertThat(atomic.decrementAndGet()).isEqualTo(Long.MAX_VALUE);

        atomic.set(Long.MIN_VALUE);
        assertThat(atomic.getAndDecrement()).isEqualTo(Long.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldWrapOnUncheckedAddPastEitherEnd() {
        atomic.set(Long.MAX_VALUE - 1);
        assertThat(atomic.addAndGet(3L)).isEqualTo(Long.MIN_VALUE + 1);

        atomic.set(Long.MIN_VALUE + 1);
        assertThat(atomic.getAndAdd(-3L)).isEqualTo(Long.MIN_VALUE + 1);
        assertThat(atomic.get()).isEqualTo(Long.MAX_VALUE - 1);
    }

    // ---- compare-and-set and exchange ---------------------------------------------------------------------

    @Test
    void shouldCompareAndSetWhenTheValueIsTheExpectedOne() {
        atomic.set(7L);

        assertThat(atomic.compareAndSet(7L, 8L)).isTrue();
        assertThat(atomic.get()).isEqualTo(8L);
    }

    @Test
    void shouldNotCompareAndSetWhenTheValueDiffers() {
        atomic.set(7L);

        assertThat(atomic.compareAndSet(6L, 8L)).isFalse();
        assertThat(atomic.get()).isEqualTo(7L);
    }

    @Test
    void shouldWeakCompareAndSetWithinAFewRetriesWhenTheValueIsTheExpectedOne() {
        atomic.set(7L);

        // May fail spuriously (on LL/SC hardware), never for long when nobody else writes.
        boolean done = false;
        for (int attempt = 0; attempt < 1_000 && !done; attempt++) {
            done = atomic.weakCompareAndSet(7L, 8L);
        }

        assertThat(done).isTrue();
        assertThat(atomic.get()).isEqualTo(8L);
    }

    @Test
    void shouldNeverWeakCompareAndSetWhenTheValueDiffers() {
        atomic.set(7L);

        for (int attempt = 0; attempt < 1_000; attempt++) {
            assertThat(atomic.weakCompareAndSet(6L, 8L)).isFalse();
        }
        assertThat(atomic.get()).isEqualTo(7L);
    }

    @Test
    void shouldCompareAndExchangeReturningTheExpectedValueAsWitnessOnSuccess() {
        atomic.set(Long.MIN_VALUE);

        assertThat(atomic.compareAndExchange(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldCompareAndExchangeReturningTheActualValueAsWitnessOnFailure() {
        atomic.set(9L);

        assertThat(atomic.compareAndExchange(10L, 11L)).isEqualTo(9L);
        assertThat(atomic.get()).isEqualTo(9L);
    }

    @Test
    void shouldGetAndSetReturningTheReplacedValue() {
        atomic.set(1L);

        assertThat(atomic.getAndSet(-1L)).isEqualTo(1L);
        assertThat(atomic.get()).isEqualTo(-1L);
    }

    // ---- arithmetic that throws instead of wrapping -------------------------------------------------------

    @Test
    void shouldIncrementExactlyUpToMaxValue() {
        atomic.set(Long.MAX_VALUE - 1);

        assertThat(atomic.incrementAndGetExact()).isEqualTo(Long.MAX_VALUE);
        assertThat(atomic.get()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnIncrementAtMaxValue() {
        assertOverflowLeavesValueUnchanged(Long.MAX_VALUE, 1L, atomic::incrementAndGetExact);
    }

    @Test
    void shouldDecrementExactlyDownToMinValue() {
        atomic.set(Long.MIN_VALUE + 1);

        assertThat(atomic.decrementAndGetExact()).isEqualTo(Long.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnDecrementAtMinValue() {
        assertOverflowLeavesValueUnchanged(Long.MIN_VALUE, -1L, atomic::decrementAndGetExact);
    }

    @Test
    void shouldAddExactlyAndReturnTheNewValue() {
        atomic.set(10L);
        assertThat(atomic.addAndGetExact(-30L)).isEqualTo(-20L);

        atomic.set(Long.MAX_VALUE - 10);
        assertThat(atomic.addAndGetExact(10L)).isEqualTo(Long.MAX_VALUE);

        atomic.set(Long.MIN_VALUE);
        assertThat(atomic.addAndGetExact(Long.MAX_VALUE)).isEqualTo(-1L);
        assertThat(atomic.get()).isEqualTo(-1L);
    }

    @Test
    void shouldAddExactlyAndReturnThePreviousValue() {
        atomic.set(10L);
        assertThat(atomic.getAndAddExact(-30L)).isEqualTo(10L);
        assertThat(atomic.get()).isEqualTo(-20L);

        atomic.set(Long.MIN_VALUE + 10);
        assertThat(atomic.getAndAddExact(-10L)).isEqualTo(Long.MIN_VALUE + 10);
        assertThat(atomic.get()).isEqualTo(Long.MIN_VALUE);

        atomic.set(Long.MAX_VALUE);
        assertThat(atomic.getAndAddExact(Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(atomic.get()).isEqualTo(-1L);
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnAddAndGetExactPastMaxValue() {
        assertOverflowLeavesValueUnchanged(Long.MAX_VALUE - 2, 3L, () -> atomic.addAndGetExact(3L));
        assertOverflowLeavesValueUnchanged(1L, Long.MAX_VALUE, () -> atomic.addAndGetExact(Long.MAX_VALUE));
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnAddAndGetExactPastMinValue() {
        assertOverflowLeavesValueUnchanged(Long.MIN_VALUE + 2, -3L, () -> atomic.addAndGetExact(-3L));
        assertOverflowLeavesValueUnchanged(-1L, Long.MIN_VALUE, () -> atomic.addAndGetExact(Long.MIN_VALUE));
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnGetAndAddExactPastMaxValue() {
        assertOverflowLeavesValueUnchanged(Long.MAX_VALUE - 2, 3L, () -> atomic.getAndAddExact(3L));
        assertOverflowLeavesValueUnchanged(1L, Long.MAX_VALUE, () -> atomic.getAndAddExact(Long.MAX_VALUE));
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnGetAndAddExactPastMinValue() {
        assertOverflowLeavesValueUnchanged(Long.MIN_VALUE + 2, -3L, () -> atomic.getAndAddExact(-3L));
        assertOverflowLeavesValueUnchanged(-1L, Long.MIN_VALUE, () -> atomic.getAndAddExact(Long.MIN_VALUE));
    }

    private void assertOverflowLeavesValueUnchanged(long start, long delta, ThrowingCallable exactOperation) {
        atomic.set(start);

        assertThatThrownBy(exactOperation)
            .isInstanceOf(ArithmeticException.class)
            .hasMessageContainingAll("name=" + NAME, "value=" + start + ",", "delta=" + delta + ";");
        assertThat(atomic.get()).as("value after the refused operation").isEqualTo(start);
    }

    // ---- several threads ----------------------------------------------------------------------------------

    @Test
    @Timeout(ConcurrentTestSupport.TIMEOUT_SECONDS)
    void shouldCountEveryIncrementFromFourThreadsExactlyOnce() throws Exception {
        try (Arena shared = Arena.ofShared()) {
            SharedAtomicLong counter = new SharedAtomicLong("counter", shared.allocate(JAVA_LONG), 0);

            List<long[]> seen = runTogether(THREADS, thread -> () -> {
                long[] values = new long[INCREMENTS_PER_THREAD];
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    values[i] = counter.incrementAndGet();
                }
                return values;
            });

            long total = (long) THREADS * INCREMENTS_PER_THREAD;
            assertThat(counter.get()).isEqualTo(total);
            // No lost update and no duplicate: the values handed out are exactly 1..total.
            assertThat(seen.stream().flatMapToLong(LongStream::of).sorted().toArray())
                .isEqualTo(LongStream.rangeClosed(1, total).toArray());
        }
    }

    @Test
    @Timeout(ConcurrentTestSupport.TIMEOUT_SECONDS)
    void shouldStopExactlyAtMaxValueWhenFourThreadsIncrementExactPastIt() throws Exception {
        try (Arena shared = Arena.ofShared()) {
            SharedAtomicLong counter = new SharedAtomicLong("counter", shared.allocate(JAVA_LONG), 0);
            long headroom = INCREMENTS_PER_THREAD; // room for one thread's worth; the others must be refused
            counter.set(Long.MAX_VALUE - headroom);

            List<long[]> outcomes = runTogether(THREADS, thread -> () -> {
                long succeeded = 0;
                long refused = 0;
                long lastSeen = Long.MIN_VALUE;
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    try {
                        long value = counter.incrementAndGetExact();
                        if (value <= lastSeen) {
                            throw new AssertionError("value went backwards or wrapped: " + lastSeen + " -> " + value);
                        }
                        lastSeen = value;
                        succeeded++;
                    } catch (ArithmeticException expected) {
                        refused++;
                    }
                }
                return new long[] {succeeded, refused};
            });

            long succeeded = outcomes.stream().mapToLong(outcome -> outcome[0]).sum();
            long refused = outcomes.stream().mapToLong(outcome -> outcome[1]).sum();
            assertThat(counter.get()).isEqualTo(Long.MAX_VALUE);
            assertThat(succeeded).isEqualTo(headroom);
            assertThat(refused).isEqualTo((long) THREADS * INCREMENTS_PER_THREAD - headroom);
        }
    }

    @Test
    @Timeout(ConcurrentTestSupport.TIMEOUT_SECONDS)
    void shouldKeepAnExactSumWhenThreadsAddAndSubtractWithCheckedOperations() throws Exception {
        try (Arena shared = Arena.ofShared()) {
            SharedAtomicLong balance = new SharedAtomicLong("balance", shared.allocate(JAVA_LONG), 0);

            runTogether(THREADS, thread -> () -> {
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    switch (thread) {
                        case 0 -> balance.addAndGetExact(3L);
                        case 1 -> balance.getAndAddExact(-2L);
                        case 2 -> balance.incrementAndGetExact();
                        default -> balance.decrementAndGetExact();
                    }
                }
                return null;
            });

            assertThat(balance.get()).isEqualTo((3L - 2L + 1L - 1L) * INCREMENTS_PER_THREAD);
        }
    }

    // ---- a memory-mapped file, mapped twice ---------------------------------------------------------------

    @Test
    void shouldSeeThroughOneMappingWhatWasWrittenThroughAnother(
            @TempDir(factory = ConcurrentTestSupport.DevShmTempDirFactory.class) Path dir) throws Exception {
        Path file = dir.resolve("atomics");
        try (FileChannel writerChannel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel readerChannel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena mappings = Arena.ofConfined()) {
            MemorySegment first = writerChannel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, mappings);
            MemorySegment second = readerChannel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, mappings);
            assertThat(first.address()).as("two distinct mappings").isNotEqualTo(second.address());
            SharedAtomicLong writer = new SharedAtomicLong("hits", first, 128);
            SharedAtomicLong reader = new SharedAtomicLong("hits", second, 128);

            writer.incrementAndGet();
            writer.incrementAndGet();
            writer.incrementAndGetExact();
            assertThat(reader.get()).isEqualTo(3L);

            assertThat(reader.compareAndSet(3L, 10L)).isTrue();
            assertThat(writer.compareAndSet(3L, 11L)).as("stale expectation through the other mapping").isFalse();
            assertThat(writer.getAcquire()).isEqualTo(10L);
        }
        // The word lives in the file itself, in native byte order.
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        assertThat(bytes.getLong(128)).isEqualTo(10L);
    }

    @Test
    @Timeout(ConcurrentTestSupport.TIMEOUT_SECONDS)
    void shouldCountExactlyWhenThreadsIncrementThroughTwoMappingsOfTheSameFile(
            @TempDir(factory = ConcurrentTestSupport.DevShmTempDirFactory.class) Path dir) throws Exception {
        Path file = dir.resolve("atomics");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena mappings = Arena.ofShared()) {
            SharedAtomicLong[] views = {
                new SharedAtomicLong("hits", channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, mappings), 0),
                new SharedAtomicLong("hits", channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, mappings), 0)
            };

            runTogether(THREADS, thread -> () -> {
                SharedAtomicLong view = views[thread % views.length];
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    view.getAndIncrement();
                }
                return null;
            });

            assertThat(views[0].get()).isEqualTo((long) THREADS * INCREMENTS_PER_THREAD);
            assertThat(views[1].get()).isEqualTo((long) THREADS * INCREMENTS_PER_THREAD);
        }
    }

    // ---- random sequences against java.util.concurrent.atomic.AtomicLong ----------------------------------

    private enum Op {
        GET, SET, GET_OPAQUE, SET_OPAQUE, GET_ACQUIRE, SET_RELEASE,
        INCREMENT_AND_GET, GET_AND_INCREMENT, DECREMENT_AND_GET, GET_AND_DECREMENT, ADD_AND_GET, GET_AND_ADD,
        COMPARE_AND_SET, WEAK_COMPARE_AND_SET, COMPARE_AND_EXCHANGE, GET_AND_SET,
        INCREMENT_AND_GET_EXACT, DECREMENT_AND_GET_EXACT, ADD_AND_GET_EXACT, GET_AND_ADD_EXACT
    }

    /** What an operation answered: its result, or that it refused to overflow. */
    private static final String OVERFLOW = "ArithmeticException";
    private static final String NO_RESULT = "void";
    private static final int STEPS = 2_000;

    static LongStream seeds() {
        return LongStream.range(0, 24).map(i -> 0x5EED_1000L + i);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void shouldBehaveLikeAtomicLongUnderARandomSequenceOfOperations(long seed) {
        Random random = new Random(seed);
        AtomicLong oracle = new AtomicLong();
        long start = interestingValue(random);
        atomic.set(start);
        oracle.set(start);

        for (int step = 0; step < STEPS; step++) {
            Op op = Op.values()[random.nextInt(Op.values().length)];
            long operand = interestingValue(random);
            long expected = random.nextBoolean() ? oracle.get() : interestingValue(random);
            String description = "seed=%d step=%d %s(operand=%d, expected=%d) from value=%d"
                .formatted(seed, step, op, operand, expected, oracle.get());

            if (op == Op.WEAK_COMPARE_AND_SET) {
                // May fail spuriously, so it is checked by its effect: it never succeeds where a strong one fails.
                if (atomic.weakCompareAndSet(expected, operand)) {
                    assertThat(oracle.compareAndSet(expected, operand)).as(description).isTrue();
                }
            } else {
                assertThat(apply(op, atomic, operand, expected)).as(description)
                    .isEqualTo(applyToOracle(op, oracle, operand, expected));
            }
            assertThat(atomic.get()).as(description).isEqualTo(oracle.get());
        }
    }

    private static Object apply(Op op, SharedAtomicLong atomic, long operand, long expected) {
        try {
            return switch (op) {
                case GET -> atomic.get();
                case SET -> { atomic.set(operand); yield NO_RESULT; }
                case GET_OPAQUE -> atomic.getOpaque();
                case SET_OPAQUE -> { atomic.setOpaque(operand); yield NO_RESULT; }
                case GET_ACQUIRE -> atomic.getAcquire();
                case SET_RELEASE -> { atomic.setRelease(operand); yield NO_RESULT; }
                case INCREMENT_AND_GET -> atomic.incrementAndGet();
                case GET_AND_INCREMENT -> atomic.getAndIncrement();
                case DECREMENT_AND_GET -> atomic.decrementAndGet();
                case GET_AND_DECREMENT -> atomic.getAndDecrement();
                case ADD_AND_GET -> atomic.addAndGet(operand);
                case GET_AND_ADD -> atomic.getAndAdd(operand);
                case COMPARE_AND_SET -> atomic.compareAndSet(expected, operand);
                case WEAK_COMPARE_AND_SET -> atomic.weakCompareAndSet(expected, operand);
                case COMPARE_AND_EXCHANGE -> atomic.compareAndExchange(expected, operand);
                case GET_AND_SET -> atomic.getAndSet(operand);
                case INCREMENT_AND_GET_EXACT -> atomic.incrementAndGetExact();
                case DECREMENT_AND_GET_EXACT -> atomic.decrementAndGetExact();
                case ADD_AND_GET_EXACT -> atomic.addAndGetExact(operand);
                case GET_AND_ADD_EXACT -> atomic.getAndAddExact(operand);
            };
        } catch (ArithmeticException overflow) {
            return OVERFLOW;
        }
    }

    private static Object applyToOracle(Op op, AtomicLong oracle, long operand, long expected) {
        try {
            return switch (op) {
                case GET -> oracle.get();
                case SET -> { oracle.set(operand); yield NO_RESULT; }
                case GET_OPAQUE -> oracle.getOpaque();
                case SET_OPAQUE -> { oracle.setOpaque(operand); yield NO_RESULT; }
                case GET_ACQUIRE -> oracle.getAcquire();
                case SET_RELEASE -> { oracle.setRelease(operand); yield NO_RESULT; }
                case INCREMENT_AND_GET -> oracle.incrementAndGet();
                case GET_AND_INCREMENT -> oracle.getAndIncrement();
                case DECREMENT_AND_GET -> oracle.decrementAndGet();
                case GET_AND_DECREMENT -> oracle.getAndDecrement();
                case ADD_AND_GET -> oracle.addAndGet(operand);
                case GET_AND_ADD -> oracle.getAndAdd(operand);
                case COMPARE_AND_SET -> oracle.compareAndSet(expected, operand);
                case WEAK_COMPARE_AND_SET -> oracle.weakCompareAndSetVolatile(expected, operand);
                case COMPARE_AND_EXCHANGE -> oracle.compareAndExchange(expected, operand);
                case GET_AND_SET -> oracle.getAndSet(operand);
                case INCREMENT_AND_GET_EXACT -> { oracle.set(Math.incrementExact(oracle.get())); yield oracle.get(); }
                case DECREMENT_AND_GET_EXACT -> { oracle.set(Math.decrementExact(oracle.get())); yield oracle.get(); }
                case ADD_AND_GET_EXACT -> { oracle.set(Math.addExact(oracle.get(), operand)); yield oracle.get(); }
                case GET_AND_ADD_EXACT -> {
                    long before = oracle.get();
                    oracle.set(Math.addExact(before, operand));
                    yield before;
                }
            };
        } catch (ArithmeticException overflow) {
            return OVERFLOW;
        }
    }

    /** Mostly values at or near the ends of the range and around zero, where overflow and sign bugs live. */
    private static long interestingValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Long.MAX_VALUE - random.nextInt(3);
            case 1 -> Long.MIN_VALUE + random.nextInt(3);
            case 2 -> random.nextInt(5) - 2;
            case 3 -> random.nextInt(2_001) - 1_000;
            case 4 -> random.nextBoolean() ? Long.MAX_VALUE / 2 : Long.MIN_VALUE / 2;
            default -> random.nextLong();
        };
    }
}
