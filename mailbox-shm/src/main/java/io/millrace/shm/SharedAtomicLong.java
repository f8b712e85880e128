package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Placeholder: replaced by the full shared atomic from the atomics branch. */
public final class SharedAtomicLong {
    private static final VarHandle VALUE = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private final String name;
    private final MemorySegment segment;
    private final long offset;

    SharedAtomicLong(String name, MemorySegment segment, long offset) {
        this.name = name;
        this.segment = segment;
        this.offset = offset;
    }

    public String name() {
        return name;
    }

    public long get() {
        return (long) VALUE.getVolatile(segment, offset);
    }

    public long incrementAndGet() {
        return (long) VALUE.getAndAdd(segment, offset, (long) 1) + 1;
    }
}
