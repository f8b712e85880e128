package io.millrace.shm;

import java.lang.foreign.MemorySegment;

/**
 * What both sides of a ring read on every message, copied from its {@link RingHeader} into final fields of the side
 * itself, and the side's own {@link PeerWatch}. A side's written fields come after 128 bytes of padding (see
 * {@link RingConsumer} and {@link SpscProducer}), so that they never share a cache line with these.
 */
abstract class RingSide {
    final Ring ring;
    final RingHeader header;
    final MemorySegment buffer;
    final int capacity;
    final long mask;
    final PeerWatch watch;

    RingSide(Ring ring, RingHeader header) {
        this.ring = ring;
        this.header = header;
        this.buffer = header.buffer;
        this.capacity = header.capacity;
        this.mask = header.mask;
        this.watch = new PeerWatch(header);
    }
}
