package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/** Placeholder: replaced by the full shared atomic from the atomics branch. */
public final class SharedAtomicInt {
    private static final VarHandle VALUE = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private final String name;
    private final MemorySegment segment;
    private final long offset;

    SharedAtomicInt(String name, MemorySegment segment, long offset) {
        this.name = name;
        this.segment = segment;
        this.offset = offset;
    }

    public String name() {
        return name;
    }

    public int get() {
        return (int) VALUE.getVolatile(segment, offset);
    }

    public int incrementAndGet() {
        return (int) VALUE.getAndAdd(segment, offset, (int) 1) + 1;
    }
}
