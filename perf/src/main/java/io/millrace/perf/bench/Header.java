package io.millrace.perf.bench;

/**
 * The first 8 bytes (little-endian) of every benchmark message. Non-negative: a data message,
 * {@code producer << 48 | sequence}, so that consumers can check that nothing was lost, duplicated or torn.
 * Negative: a marker, {@code -(rep + 1)} ends repetition {@code rep} of one producer; {@link #STOP} ends a
 * ping-pong.
 */
public final class Header {

    /** The ping-pong stop message; the ponger echoes it and exits. */
    public static final long STOP = Long.MIN_VALUE;

    private static final int PRODUCER_SHIFT = 48;
    private static final long SEQUENCE_MASK = (1L << PRODUCER_SHIFT) - 1;

    private Header() {
    }

    public static long message(int producer, long sequence) {
        return ((long) producer << PRODUCER_SHIFT) | (sequence & SEQUENCE_MASK);
    }

    public static long endOfRep(int rep) {
        return -(rep + 1L);
    }

    public static boolean isMarker(long header) {
        return header < 0;
    }

    /** The repetition a marker ends. */
    public static int markerRep(long header) {
        return (int) (-header - 1);
    }

    public static int producer(long header) {
        return (int) (header >>> PRODUCER_SHIFT);
    }

    public static long sequence(long header) {
        return header & SEQUENCE_MASK;
    }
}
