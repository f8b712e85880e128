package io.millrace.actors.remote;

/**
 * The records a node's mailbox ring carries, one per message, or a run of fragments for a message longer than one
 * ring record. Every field is little-endian, the record's payload starts 8-byte aligned.
 *
 * <pre>
 *   MESSAGE         | targetUid (8) | encoded message ...                          |
 *   FRAGMENT_FIRST  | senderKey (8) | targetUid (8) | totalLength (4) | 0 (4) | bytes ... |
 *   FRAGMENT_NEXT   | senderKey (8) | bytes ...                                    |
 * </pre>
 *
 * A sender writes a fragmented message from one thread, front to back, and its {@code senderKey} names that thread
 * (the process id in the high 32 bits, a per-thread number in the low 32), so a receiver reassembles each key's
 * fragments in order even when other senders' records come in between. A new {@code FRAGMENT_FIRST} of a key drops
 * that key's unfinished message (its sender gave up on a full ring); a key whose process is dead is dropped when the
 * receiver idles.
 */
final class Frames {
    static final int MESSAGE = 1;
    static final int FRAGMENT_FIRST = 2;
    static final int FRAGMENT_NEXT = 3;

    static final int MESSAGE_HEADER = Long.BYTES;
    static final int FIRST_HEADER = 3 * Long.BYTES;
    static final int NEXT_HEADER = Long.BYTES;

    static final long TARGET_OFFSET = 0;
    static final long SENDER_OFFSET = 0;
    static final long FIRST_TARGET_OFFSET = 8;
    static final long FIRST_TOTAL_OFFSET = 16;

    private Frames() {
    }

    /** The process id a sender key names. */
    static long pidOf(long senderKey) {
        return senderKey >>> 32;
    }
}
