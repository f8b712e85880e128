package io.millrace.actors.remote;

import java.lang.foreign.MemorySegment;

/** Where an {@link Inbound} hands what it reads from a mailbox ring. */
public interface Delivery {
    /**
     * One whole message for the actor {@code targetUid}: {@code length} bytes of {@code segment} at {@code offset},
     * valid only during the call.
     */
    void deliver(long targetUid, MemorySegment segment, long offset, int length);

    /** A record that is not a valid frame (or a fragment run that cannot be completed); it was dropped. */
    void corrupt(String what);
}
