package io.millrace.shm;

/**
 * A record in a ring's data buffer: an 8-byte header, the payload, padding to the next multiple of 8.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-------------------------------------------------------------+
 *   |C|                 Length (header + payload)                   |
 *   +-+-------------+-----------------------------------------------+
 *   |   Claimant    |                  Type                         |
 *   +---------------+-----------------------------------------------+
 *   |                        Payload ...                           ...
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * The header is read and written as one little-endian long: length in the low int, type in the high int.
 * In an MPSC ring a claimed record carries a negative length (sign bit {@code C}) and, in the top 8 bits of
 * the type word, the claimant's participant slot + 1; {@code commit} replaces the whole long with the
 * positive length and the bare type in one release store, so a record is either visibly uncommitted (and
 * whose it is) or complete. Types {@link #PADDING_TYPE} (fills the end of the buffer before a wrap) and
 * {@link #SKIPPED_TYPE} (a record of a producer that died before committing it) are never delivered.
 */
final class RecordDescriptor {
    static final int HEADER_LENGTH = 8;
    static final int ALIGNMENT = 8;
    static final int MAX_TYPE = (1 << 24) - 1;
    static final int PADDING_TYPE = MAX_TYPE + 1;
    static final int SKIPPED_TYPE = MAX_TYPE + 2;

    private RecordDescriptor() {
    }

    static int alignedLength(int recordLength) {
        return (recordLength + ALIGNMENT - 1) & -ALIGNMENT;
    }

    static long header(int type, int length) {
        return ((long) type << 32) | (length & 0xFFFF_FFFFL);
    }

    /** Header of a claimed, uncommitted record: negative length, claimant slot in the top byte of the type. */
    static long claimedHeader(int type, int recordLength, int claimantSlot) {
        return header(((claimantSlot + 1) << 24) | type, -recordLength);
    }

    static int length(long header) {
        return (int) header;
    }

    static int type(long header) {
        return (int) (header >>> 32);
    }

    /** Claimant slot of an uncommitted header, or -1 when none is recorded. */
    static int claimant(long header) {
        return (type(header) >>> 24) - 1;
    }
}
