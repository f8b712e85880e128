package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The readiness rule every shared-state block shares: its creator writes the header and the structure, then the
 * magic word at offset 0 with release; an opener waits for the magic until its deadline. A foreign non-zero word
 * is {@code CORRUPT}, none in time {@code NOT_READY}; then the version must match.
 */
final class BlockHeader {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private BlockHeader() {
    }

    /**
     * @param what "struct array 'x'" or "map 'x'", for messages
     */
    static void await(String what, MemorySegment block, long magic, long versionOffset, int version, long minBytes,
                      long deadline, Duration timeout) {
        if (block.byteSize() < minBytes) {
            throw corrupt(what, "blockSize=" + block.byteSize());
        }
        long found;
        while ((found = (long) LONG.getAcquire(block, 0L)) != magic) {
            if (found != 0) {
                throw corrupt(what, "magic=0x" + Long.toHexString(found));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new SharedStateException(SharedStateException.Reason.NOT_READY, what
                        + " was not laid out within timeout=" + timeout + " (its creator may have died)");
            }
            Thread.onSpinWait();
        }
        int foundVersion = (int) INT.get(block, versionOffset);
        if (foundVersion != version) {
            throw new SharedStateException(SharedStateException.Reason.VERSION_MISMATCH, what + ": expected=" + version
                    + " found=" + foundVersion);
        }
    }

    static SharedStateException corrupt(String what, String field) {
        return new SharedStateException(SharedStateException.Reason.CORRUPT, what + " is corrupt: " + field);
    }
}
