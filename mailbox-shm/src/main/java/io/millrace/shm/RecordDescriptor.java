package io.millrace.shm;

/**
 * A record in a ring's data buffer: an 8-byte header, the payload, padding to the next multiple of 8.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-----------------------------------------------------------+
 *   |C|B|               Length (header + payload)                   |
 *   +-+-+-----------+-----------------------------------------------+
 *   |L|  Claimant   |                  Type                         |
 *   +-+-------------+-----------------------------------------------+
 *   |                        Payload ...                           ...
 *   +---------------------------------------------------------------+
 * </pre>
 *
 * The header is read and written as one little-endian long: length in the low int, type in the high int.
 * A claimed record carries a negative length (sign bit {@code C}; {@code B} is {@link #BATCH_FLAG}, {@code L} {@link #LEAD_FLAG}) and, in bits 24-30 of the type word, the
 * claimant's participant slot + 1; {@code commit} replaces the whole long with the positive length and the bare
 * type in one release store, so a record is either visibly uncommitted (and whose it is) or complete. Types
 * {@link #PADDING_TYPE} (fills the end of the buffer before a wrap, or an aborted claim) and {@link #SKIPPED_TYPE}
 * (a record of a producer that died before committing it) are never delivered.
 *
 * <p>The states of a header, and who moves it on:
 * <pre>
 *   0 (consumed space) --claim--> claimed(slot) --commit--> committed --consumer releases--> 0
 *                                      |  \--abort--> padding
 *                                      \--consumer, claimant dead--> skipped
 *   claimed(slot) --flush of a batch of n > 1: the first record--> claimed(slot) + LEAD
 *                                             the others--------> batch member(slot)
 *   claimed(slot) + LEAD --end of the flush--> batch member(slot) + LEAD
 * </pre>
 * A batch member is committed, with {@link #BATCH_FLAG} in its length word (so that it fails the consumer's length
 * check and takes the slow path) and the claimant in its type word; {@link #LEAD_FLAG} marks the batch's first
 * record. A flush commits the members before the first, which stays claimed until the last store of the flush: a
 * consumer stopped at the first sees the batch whole or not at all while the producer lives. If the producer dies
 * mid-flush, the first is claimed with {@code LEAD} by a dead claimant: the consumer skips it and every member of that
 * claimant until the next {@code LEAD} member of the same claimant (see {@code Ring.Batch}).
 *
 * <p>Invariants the consumer checks on every header (a header that breaks one is reported, never skipped): a
 * committed length covers at least the header and ends at or before the end of the buffer; a committed type is 1 to
 * {@link #MAX_TYPE}, padding or skipped; a claimed length is in the same range, at most the longest message, and ends
 * at or before {@code tail}. A committed record is not checked against {@code tail} on the fast path (see
 * {@code RingConsumer}): a zero-copy overrun is refused at {@code commit}, and a head past {@code tail} when the
 * consumer idles.
 */
final class RecordDescriptor {
    static final int HEADER_LENGTH = 8;
    static final int ALIGNMENT = 8;
    static final int MAX_TYPE = (1 << 24) - 1;
    static final int PADDING_TYPE = MAX_TYPE + 1;
    static final int SKIPPED_TYPE = MAX_TYPE + 2;
    /** Length-word flag of a committed member of a flushed batch of several records. */
    static final int BATCH_FLAG = 1 << 30;
    /** Type-word flag: on a claimed header, its batch's flush has begun; on a batch member, it is the batch's first. */
    static final int LEAD_FLAG = 1 << 31;
    private static final int CLAIMANT_SHIFT = 24;
    private static final int CLAIMANT_MASK = 0x7F;

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
        return header(((claimantSlot + 1) << CLAIMANT_SHIFT) | type, -recordLength);
    }

    /** A claimed header with {@link #LEAD_FLAG}: the first record of a batch whose flush has begun. */
    static long leadClaimedHeader(int type, int recordLength, int claimantSlot) {
        return claimedHeader(type, recordLength, claimantSlot) | (long) LEAD_FLAG << 32;
    }

    /** Header of a committed member of a batch of several records; {@code lead} for the batch's first. */
    static long batchMemberHeader(int type, int recordLength, int claimantSlot, boolean lead) {
        return header((lead ? LEAD_FLAG : 0) | ((claimantSlot + 1) << CLAIMANT_SHIFT) | type,
                recordLength | BATCH_FLAG);
    }

    /** True for a claimed header with {@link #LEAD_FLAG}, or a batch member that is its batch's first. */
    static boolean isLead(long header) {
        return type(header) < 0;
    }

    /** The user type of a claimed header or batch member, without claimant and flags. */
    static int userType(long header) {
        return type(header) & MAX_TYPE;
    }

    static int length(long header) {
        return (int) header;
    }

    static int type(long header) {
        return (int) (header >>> 32);
    }

    /** Claimant slot of a claimed header or a batch member, or -1 when none is recorded. */
    static int claimant(long header) {
        return ((type(header) >>> CLAIMANT_SHIFT) & CLAIMANT_MASK) - 1;
    }
}
