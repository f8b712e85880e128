package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * A ring's counters and peers, as seen at one moment (by {@link Ring#stats()} or {@code millrace stat}).
 *
 * @param name           the ring's name in its region
 * @param kind           SPSC or MPSC
 * @param capacity       data bytes
 * @param head           bytes released by the consumer since creation
 * @param tail           bytes claimed by producers since creation
 * @param skippedRecords records of producers that died before committing, skipped and never delivered
 * @param consumerPid    pid of the consumer, 0 when none is attached
 * @param producerPids   pids of the producers attached now
 * @param sleepers       processes with a thread asleep waiting on this ring (for data, plus those for space)
 */
public record RingStats(String name, RegionSpec.Kind kind, int capacity, long head, long tail, long skippedRecords,
                        long consumerPid, List<Long> producerPids, int sleepers) {

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    /** Bytes claimed but not yet released by the consumer. */
    public long lag() {
        return tail - head;
    }

    static RingStats read(String name, RegionSpec.Kind kind, MemorySegment segment, long base,
                          Participants participants) {
        long head = (long) LONG.getAcquire(segment, base + RingDescriptor.HEAD_OFFSET);
        long tail = (long) LONG.getAcquire(segment, base + RingDescriptor.TAIL_OFFSET);
        long skipped = (long) LONG.getAcquire(segment, base + RingDescriptor.SKIPPED_RECORDS_OFFSET);
        int capacity = (int) INT.getAcquire(segment, base + RingDescriptor.CAPACITY_OFFSET);
        long consumer = (long) LONG.getAcquire(segment, base + RingDescriptor.CONSUMER_OFFSET);
        List<Long> producers = new ArrayList<>();
        if (kind == RegionSpec.Kind.SPSC_RING) {
            long producer = (long) LONG.getAcquire(segment, base + RingDescriptor.SPSC_PRODUCER_OFFSET)
                    & ~SpscProducer.DEATH_COUNTED;
            if (producer != 0) {
                producers.add(participants.pidOf(producer));
            }
        } else {
            ProducerTable table = new ProducerTable(segment, base, participants);
            for (int slot = 0; slot < participants.capacity(); slot++) {
                long producer = table.producer(slot);
                if (producer != 0) {
                    producers.add(participants.pidOf(producer));
                }
            }
        }
        int sleepers = new Signal(segment, base + RingDescriptor.DATA_SIGNAL_OFFSET, -1).waiters()
                + new Signal(segment, base + RingDescriptor.SPACE_SIGNAL_OFFSET, -1).waiters();
        return new RingStats(name, kind, capacity, head, tail, skipped,
                consumer > 0 ? participants.pidOf(consumer) : 0, List.copyOf(producers), sleepers);
    }
}
