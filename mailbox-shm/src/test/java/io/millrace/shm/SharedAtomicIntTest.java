package io.millrace.shm;

import static io.millrace.shm.ConcurrentTestSupport.runTogether;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
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

class SharedAtomicIntTest {

    private static final long SEGMENT_SIZE = 64;
    /** Not zero and not a multiple of 8: a method that ignored the offset or assumed 8 bytes would fail. */
    private static final long OFFSET = 12;
    private static final String NAME = "permits";

    private static final int THREADS = 4;
    private static final int INCREMENTS_PER_THREAD = 100_000;

    private Arena arena;
    private MemorySegment segment;
    private SharedAtomicInt atomic;

    @BeforeEach
    void createAtomicInConfinedMemory() {
        arena = Arena.ofConfined();
        segment = arena.allocate(SEGMENT_SIZE, Long.BYTES);
        atomic = new SharedAtomicInt(NAME, segment, OFFSET);
    }

    @AfterEach
    void freeMemory() {
        arena.close();
    }

    // ---- construction and validation ----------------------------------------------------------------------

    @Test
    void shouldReadWhateverTheSharedWordAlreadyHolds() {
        segment.set(JAVA_INT, 36, 42);

        SharedAtomicInt existing = new SharedAtomicInt("existing", segment, 36);

        assertThat(existing.get()).isEqualTo(42);
    }

    @Test
    void shouldWriteTheWordAtItsOffsetAndNoOtherByte() {
        segment.fill((byte) 0x5A);

        atomic.set(0x0102_0304);

        assertThat(segment.get(JAVA_INT, OFFSET)).isEqualTo(0x0102_0304);
        for (long i = 0; i < SEGMENT_SIZE; i++) {
            if (i < OFFSET || i >= OFFSET + Integer.BYTES) {
                assertThat(segment.get(JAVA_BYTE, i)).as("byte %d", i).isEqualTo((byte) 0x5A);
            }
        }
    }

    @Test
    void shouldKeepTwoIntsInOneEightByteWordApart() {
        SharedAtomicInt low = new SharedAtomicInt("low", segment, 40);
        SharedAtomicInt high = new SharedAtomicInt("high", segment, 44);

        low.set(-1);
        high.incrementAndGet();
        low.incrementAndGet();

        assertThat(low.get()).isZero();
        assertThat(high.get()).isOne();
    }

    @Test
    void shouldReportItsName() {
        assertThat(atomic.name()).isEqualTo(NAME);
    }

    @Test
    void shouldShowNameAndValueInToString() {
        atomic.set(-7);

        assertThat(atomic).hasToString("SharedAtomicInt[name=permits, value=-7]");
    }

    @Test
    void shouldSayInToStringThatTheValueIsUnreadableOnceTheArenaIsClosed() {
        Arena closed = Arena.ofConfined();
        SharedAtomicInt orphan = new SharedAtomicInt("orphan", closed.allocate(JAVA_INT), 0);
        closed.close();

        assertThat(orphan.toString()).startsWith("SharedAtomicInt[name=orphan, value=<unreadable: ");
        assertThatThrownBy(orphan::get).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest(name = "offset={0}")
    @ValueSource(longs = {1, 2, 3, 5, 6, 7, 9, 10, 11, 14, -1, -2})
    void shouldRejectOffsetNotAlignedToFourBytes(long offset) {
        assertThatThrownBy(() -> new SharedAtomicInt(NAME, segment, offset))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContainingAll("offset=" + offset + " ", "multiple of 4", "name=permits");
    }

    @ParameterizedTest(name = "offset={0}")
    @ValueSource(longs = {-4, -64, SEGMENT_SIZE, SEGMENT_SIZE + 4, 1L << 40, Long.MAX_VALUE & ~3L, Long.MIN_VALUE})
    void shouldRejectOffsetOutsideTheSegment(long offset) {
        assertThatThrownBy(() -> new SharedAtomicInt(NAME, segment, offset))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContainingAll("offset=" + offset + " ", "segmentSize=64", "name=permits");
    }

    @Test
    void shouldAcceptTheLastWholeWordOfTheSegment() {
        SharedAtomicInt last = new SharedAtomicInt("last", segment, SEGMENT_SIZE - Integer.BYTES);

        last.set(Integer.MIN_VALUE);

        assertThat(segment.get(JAVA_INT, SEGMENT_SIZE - Integer.BYTES)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void shouldRejectSegmentShorterThanOneWord() {
        MemorySegment tooShort = segment.asSlice(0, 2);

        assertThatThrownBy(() -> new SharedAtomicInt(NAME, tooShort, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("offset=0 ");
    }

    @Test
    void shouldRejectSegmentWhoseAddressIsNotFourByteAligned() {
        MemorySegment shifted = segment.asSlice(2);

        assertThatThrownBy(() -> new SharedAtomicInt(NAME, shifted, 8))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContainingAll("offset=8 ", "aligned to only 2 bytes");
    }

    @Test
    void shouldRejectMissingNameOrSegment() {
        assertThatThrownBy(() -> new SharedAtomicInt(null, segment, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SharedAtomicInt(NAME, null, 0)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldReadThroughAReadOnlySegmentButRefuseToWrite() {
        SharedAtomicInt readOnly = new SharedAtomicInt(NAME, segment.asReadOnly(), OFFSET);
        atomic.set(5);

        assertThat(readOnly.get()).isEqualTo(5);
        assertThat(readOnly.getOpaque()).isEqualTo(5);
        assertThat(readOnly.getAcquire()).isEqualTo(5);
        assertThatThrownBy(() -> readOnly.set(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(readOnly::incrementAndGet).isInstanceOf(IllegalArgumentException.class);
        assertThat(atomic.get()).isEqualTo(5);
    }

    // ---- reads and writes by ordering ---------------------------------------------------------------------

    @Test
    void shouldGetWhatWasSetWithVolatileSemantics() {
        atomic.set(Integer.MAX_VALUE);

        assertThat(atomic.get()).isEqualTo(Integer.MAX_VALUE);
        assertThat(segment.get(JAVA_INT, OFFSET)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldGetOpaqueWhatWasSetOpaque() {
        atomic.setOpaque(-123_456_789);

        assertThat(atomic.getOpaque()).isEqualTo(-123_456_789);
        assertThat(atomic.get()).isEqualTo(-123_456_789);
    }

    @Test
    void shouldGetAcquireWhatWasSetRelease() {
        atomic.setRelease(Integer.MIN_VALUE);

        assertThat(atomic.getAcquire()).isEqualTo(Integer.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Integer.MIN_VALUE);
    }

    // ---- arithmetic that wraps ----------------------------------------------------------------------------

    @Test
    void shouldIncrementAndReturnTheNewValue() {
        atomic.set(41);

        assertThat(atomic.incrementAndGet()).isEqualTo(42);
        assertThat(atomic.get()).isEqualTo(42);
    }

    @Test
    void shouldIncrementAndReturnThePreviousValue() {
        atomic.set(41);

        assertThat(atomic.getAndIncrement()).isEqualTo(41);
        assertThat(atomic.get()).isEqualTo(42);
    }

    @Test
    void shouldDecrementAndReturnTheNewValue() {
        atomic.set(0);

        assertThat(atomic.decrementAndGet()).isEqualTo(-1);
        assertThat(atomic.get()).isEqualTo(-1);
    }

    @Test
    void shouldDecrementAndReturnThePreviousValue() {
        atomic.set(0);

        assertThat(atomic.getAndDecrement()).isEqualTo(0);
        assertThat(atomic.get()).isEqualTo(-1);
    }

    @Test
    void shouldAddDeltaAndReturnTheNewValue() {
        atomic.set(100);

        assertThat(atomic.addAndGet(2_000_000_000)).isEqualTo(2_000_000_100);
        assertThat(atomic.addAndGet(-2_000_000_200)).isEqualTo(-100);
        assertThat(atomic.get()).isEqualTo(-100);
    }

    @Test
    void shouldAddDeltaAndReturnThePreviousValue() {
        atomic.set(100);

        assertThat(atomic.getAndAdd(2_000_000_000)).isEqualTo(100);
        assertThat(atomic.getAndAdd(-2_000_000_200)).isEqualTo(2_000_000_100);
        assertThat(atomic.get()).isEqualTo(-100);
    }

    @Test
    void shouldWrapToMinValueOnUncheckedIncrementAtMaxValue() {
        atomic.set(Integer.MAX_VALUE);
        assertThat(atomic.incrementAndGet()).isEqualTo(Integer.MIN_VALUE);

        atomic.set(Integer.MAX_VALUE);
        assertThat(atomic.getAndIncrement()).isEqualTo(Integer.MAX_VALUE);
        assertThat(atomic.get()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void shouldWrapToMaxValueOnUncheckedDecrementAtMinValue() {
        atomic.set(Integer.MIN_VALUE);
        assertThat(atomic.decrementAndGet()).isEqualTo(Integer.MAX_VALUE);

        atomic.set(Integer.MIN_VALUE);
        assertThat(atomic.getAndDecrement()).isEqualTo(Integer.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldWrapOnUncheckedAddPastEitherEnd() {
        atomic.set(Integer.MAX_VALUE - 1);
        assertThat(atomic.addAndGet(3)).isEqualTo(Integer.MIN_VALUE + 1);

        atomic.set(Integer.MIN_VALUE + 1);
        assertThat(atomic.getAndAdd(-3)).isEqualTo(Integer.MIN_VALUE + 1);
        assertThat(atomic.get()).isEqualTo(Integer.MAX_VALUE - 1);
    }

    // ---- compare-and-set and exchange ---------------------------------------------------------------------

    @Test
    void shouldCompareAndSetWhenTheValueIsTheExpectedOne() {
        atomic.set(7);

        assertThat(atomic.compareAndSet(7, 8)).isTrue();
        assertThat(atomic.get()).isEqualTo(8);
    }

    @Test
    void shouldNotCompareAndSetWhenTheValueDiffers() {
        atomic.set(7);

        assertThat(atomic.compareAndSet(6, 8)).isFalse();
        assertThat(atomic.get()).isEqualTo(7);
    }

    @Test
    void shouldWeakCompareAndSetWithinAFewRetriesWhenTheValueIsTheExpectedOne() {
        atomic.set(7);

        // May fail spuriously (on LL/SC hardware), never for long when nobody else writes.
        boolean done = false;
        for (int attempt = 0; attempt < 1_000 && !done; attempt++) {
            done = atomic.weakCompareAndSet(7, 8);
        }

        assertThat(done).isTrue();
        assertThat(atomic.get()).isEqualTo(8);
    }

    @Test
    void shouldNeverWeakCompareAndSetWhenTheValueDiffers() {
        atomic.set(7);

        for (int attempt = 0; attempt < 1_000; attempt++) {
            assertThat(atomic.weakCompareAndSet(6, 8)).isFalse();
        }
        assertThat(atomic.get()).isEqualTo(7);
    }

    @Test
    void shouldCompareAndExchangeReturningTheExpectedValueAsWitnessOnSuccess() {
        atomic.set(Integer.MIN_VALUE);

        assertThat(atomic.compareAndExchange(Integer.MIN_VALUE, Integer.MAX_VALUE)).isEqualTo(Integer.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldCompareAndExchangeReturningTheActualValueAsWitnessOnFailure() {
        atomic.set(9);

        assertThat(atomic.compareAndExchange(10, 11)).isEqualTo(9);
        assertThat(atomic.get()).isEqualTo(9);
    }

    @Test
    void shouldGetAndSetReturningTheReplacedValue() {
        atomic.set(1);

        assertThat(atomic.getAndSet(-1)).isEqualTo(1);
        assertThat(atomic.get()).isEqualTo(-1);
    }

    // ---- arithmetic that throws instead of wrapping -------------------------------------------------------

    @Test
    void shouldIncrementExactlyUpToMaxValue() {
        atomic.set(Integer.MAX_VALUE - 1);

        assertThat(atomic.incrementAndGetExact()).isEqualTo(Integer.MAX_VALUE);
        assertThat(atomic.get()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnIncrementAtMaxValue() {
        assertOverflowLeavesValueUnchanged(Integer.MAX_VALUE, 1, atomic::incrementAndGetExact);
    }

    @Test
    void shouldDecrementExactlyDownToMinValue() {
        atomic.set(Integer.MIN_VALUE + 1);

        assertThat(atomic.decrementAndGetExact()).isEqualTo(Integer.MIN_VALUE);
        assertThat(atomic.get()).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnDecrementAtMinValue() {
        assertOverflowLeavesValueUnchanged(Integer.MIN_VALUE, -1, atomic::decrementAndGetExact);
    }

    @Test
    void shouldAddExactlyAndReturnTheNewValue() {
        atomic.set(10);
        assertThat(atomic.addAndGetExact(-30)).isEqualTo(-20);

        atomic.set(Integer.MAX_VALUE - 10);
        assertThat(atomic.addAndGetExact(10)).isEqualTo(Integer.MAX_VALUE);

        atomic.set(Integer.MIN_VALUE);
        assertThat(atomic.addAndGetExact(Integer.MAX_VALUE)).isEqualTo(-1);
        assertThat(atomic.get()).isEqualTo(-1);
    }

    @Test
    void shouldAddExactlyAndReturnThePreviousValue() {
        atomic.set(10);
        assertThat(atomic.getAndAddExact(-30)).isEqualTo(10);
        assertThat(atomic.get()).isEqualTo(-20);

        atomic.set(Integer.MIN_VALUE + 10);
        assertThat(atomic.getAndAddExact(-10)).isEqualTo(Integer.MIN_VALUE + 10);
        assertThat(atomic.get()).isEqualTo(Integer.MIN_VALUE);

        atomic.set(Integer.MAX_VALUE);
        assertThat(atomic.getAndAddExact(Integer.MIN_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(atomic.get()).isEqualTo(-1);
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnAddAndGetExactPastMaxValue() {
        assertOverflowLeavesValueUnchanged(Integer.MAX_VALUE - 2, 3, () -> atomic.addAndGetExact(3));
        assertOverflowLeavesValueUnchanged(1, Integer.MAX_VALUE, () -> atomic.addAndGetExact(Integer.MAX_VALUE));
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnAddAndGetExactPastMinValue() {
        assertOverflowLeavesValueUnchanged(Integer.MIN_VALUE + 2, -3, () -> atomic.addAndGetExact(-3));
        assertOverflowLeavesValueUnchanged(-1, Integer.MIN_VALUE, () -> atomic.addAndGetExact(Integer.MIN_VALUE));
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnGetAndAddExactPastMaxValue() {
        assertOverflowLeavesValueUnchanged(Integer.MAX_VALUE - 2, 3, () -> atomic.getAndAddExact(3));
        assertOverflowLeavesValueUnchanged(1, Integer.MAX_VALUE, () -> atomic.getAndAddExact(Integer.MAX_VALUE));
    }

    @Test
    void shouldThrowArithmeticExceptionInsteadOfWrappingOnGetAndAddExactPastMinValue() {
        assertOverflowLeavesValueUnchanged(Integer.MIN_VALUE + 2, -3, () -> atomic.getAndAddExact(-3));
        assertOverflowLeavesValueUnchanged(-1, Integer.MIN_VALUE, () -> atomic.getAndAddExact(Integer.MIN_VALUE));
    }

    private void assertOverflowLeavesValueUnchanged(int start, int delta, ThrowingCallable exactOperation) {
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
            SharedAtomicInt counter = new SharedAtomicInt("counter", shared.allocate(JAVA_INT), 0);

            List<int[]> seen = runTogether(THREADS, thread -> () -> {
                int[] values = new int[INCREMENTS_PER_THREAD];
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    values[i] = counter.incrementAndGet();
                }
                return values;
            });

            int total = THREADS * INCREMENTS_PER_THREAD;
            assertThat(counter.get()).isEqualTo(total);
            // No lost update and no duplicate: the values handed out are exactly 1..total.
            assertThat(seen.stream().flatMapToInt(IntStream::of).sorted().toArray())
                .isEqualTo(IntStream.rangeClosed(1, total).toArray());
        }
    }

    @Test
    @Timeout(ConcurrentTestSupport.TIMEOUT_SECONDS)
    void shouldStopExactlyAtMaxValueWhenFourThreadsIncrementExactPastIt() throws Exception {
        try (Arena shared = Arena.ofShared()) {
            SharedAtomicInt counter = new SharedAtomicInt("counter", shared.allocate(JAVA_INT), 0);
            int headroom = INCREMENTS_PER_THREAD; // room for one thread's worth; the others must be refused
            counter.set(Integer.MAX_VALUE - headroom);

            List<int[]> outcomes = runTogether(THREADS, thread -> () -> {
                int succeeded = 0;
                int refused = 0;
                int lastSeen = Integer.MIN_VALUE;
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    try {
                        int value = counter.incrementAndGetExact();
                        if (value <= lastSeen) {
                            throw new AssertionError("value went backwards or wrapped: " + lastSeen + " -> " + value);
                        }
                        lastSeen = value;
                        succeeded++;
                    } catch (ArithmeticException expected) {
                        refused++;
                    }
                }
                return new int[] {succeeded, refused};
            });

            int succeeded = outcomes.stream().mapToInt(outcome -> outcome[0]).sum();
            int refused = outcomes.stream().mapToInt(outcome -> outcome[1]).sum();
            assertThat(counter.get()).isEqualTo(Integer.MAX_VALUE);
            assertThat(succeeded).isEqualTo(headroom);
            assertThat(refused).isEqualTo(THREADS * INCREMENTS_PER_THREAD - headroom);
        }
    }

    @Test
    @Timeout(ConcurrentTestSupport.TIMEOUT_SECONDS)
    void shouldKeepAnExactSumWhenThreadsAddAndSubtractWithCheckedOperations() throws Exception {
        try (Arena shared = Arena.ofShared()) {
            SharedAtomicInt balance = new SharedAtomicInt("balance", shared.allocate(JAVA_INT), 0);

            runTogether(THREADS, thread -> () -> {
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    switch (thread) {
                        case 0 -> balance.addAndGetExact(3);
                        case 1 -> balance.getAndAddExact(-2);
                        case 2 -> balance.incrementAndGetExact();
                        default -> balance.decrementAndGetExact();
                    }
                }
                return null;
            });

            assertThat(balance.get()).isEqualTo((3 - 2 + 1 - 1) * INCREMENTS_PER_THREAD);
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
            SharedAtomicInt writer = new SharedAtomicInt("hits", first, 132);
            SharedAtomicInt reader = new SharedAtomicInt("hits", second, 132);

            writer.incrementAndGet();
            writer.incrementAndGet();
            writer.incrementAndGetExact();
            assertThat(reader.get()).isEqualTo(3);

            assertThat(reader.compareAndSet(3, 10)).isTrue();
            assertThat(writer.compareAndSet(3, 11)).as("stale expectation through the other mapping").isFalse();
            assertThat(writer.getAcquire()).isEqualTo(10);
        }
        // The word lives in the file itself, in native byte order.
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        assertThat(bytes.getInt(132)).isEqualTo(10);
    }

    @Test
    @Timeout(ConcurrentTestSupport.TIMEOUT_SECONDS)
    void shouldCountExactlyWhenThreadsIncrementThroughTwoMappingsOfTheSameFile(
            @TempDir(factory = ConcurrentTestSupport.DevShmTempDirFactory.class) Path dir) throws Exception {
        Path file = dir.resolve("atomics");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena mappings = Arena.ofShared()) {
            SharedAtomicInt[] views = {
                new SharedAtomicInt("hits", channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, mappings), 4),
                new SharedAtomicInt("hits", channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096, mappings), 4)
            };

            runTogether(THREADS, thread -> () -> {
                SharedAtomicInt view = views[thread % views.length];
                for (int i = 0; i < INCREMENTS_PER_THREAD; i++) {
                    view.getAndIncrement();
                }
                return null;
            });

            assertThat(views[0].get()).isEqualTo(THREADS * INCREMENTS_PER_THREAD);
            assertThat(views[1].get()).isEqualTo(THREADS * INCREMENTS_PER_THREAD);
        }
    }

    // ---- random sequences against java.util.concurrent.atomic.AtomicInteger -------------------------------

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
        return LongStream.range(0, 24).map(i -> 0x5EED_2000L + i);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void shouldBehaveLikeAtomicIntegerUnderARandomSequenceOfOperations(long seed) {
        Random random = new Random(seed);
        AtomicInteger oracle = new AtomicInteger();
        int start = interestingValue(random);
        atomic.set(start);
        oracle.set(start);

        for (int step = 0; step < STEPS; step++) {
            Op op = Op.values()[random.nextInt(Op.values().length)];
            int operand = interestingValue(random);
            int expected = random.nextBoolean() ? oracle.get() : interestingValue(random);
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

    private static Object apply(Op op, SharedAtomicInt atomic, int operand, int expected) {
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

    private static Object applyToOracle(Op op, AtomicInteger oracle, int operand, int expected) {
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
                    int before = oracle.get();
                    oracle.set(Math.addExact(before, operand));
                    yield before;
                }
            };
        } catch (ArithmeticException overflow) {
            return OVERFLOW;
        }
    }

    /** Mostly values at or near the ends of the range and around zero, where overflow and sign bugs live. */
    private static int interestingValue(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> Integer.MAX_VALUE - random.nextInt(3);
            case 1 -> Integer.MIN_VALUE + random.nextInt(3);
            case 2 -> random.nextInt(5) - 2;
            case 3 -> random.nextInt(2_001) - 1_000;
            case 4 -> random.nextBoolean() ? Integer.MAX_VALUE / 2 : Integer.MIN_VALUE / 2;
            default -> random.nextInt();
        };
    }
}
