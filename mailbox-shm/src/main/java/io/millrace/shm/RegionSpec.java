package io.millrace.shm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a region holds: its name and its named structures (rings and atomics), laid out once at creation.
 *
 * <pre>{@code
 * RegionSpec spec = RegionSpec.named("orders")
 *         .mpscRing("inbox", 1 << 20)
 *         .atomicLong("processed")
 *         .build();
 * }</pre>
 */
public final class RegionSpec {

    /** Kinds of structure; the number is what the region's directory stores. */
    public enum Kind {
        SPSC_RING(RingDescriptor.KIND_SPSC), MPSC_RING(RingDescriptor.KIND_MPSC), ATOMIC_LONG(3), ATOMIC_INT(4),
        /** A block of raw bytes, zeroed at creation, for structures built on top of a region. */
        BLOCK(5);

        final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            return null;
        }

        boolean isRing() {
            return this == SPSC_RING || this == MPSC_RING;
        }
    }

    /** One named structure: a ring with its data capacity, a block with its size in bytes, or an atomic (0). */
    public record Structure(String name, Kind kind, int capacity) {
        long length() {
            return switch (kind) {
                case SPSC_RING, MPSC_RING -> RingDescriptor.length(capacity);
                case BLOCK -> capacity;
                case ATOMIC_LONG, ATOMIC_INT -> RegionDescriptor.ATOMIC_LENGTH;
            };
        }
    }

    private final String name;
    private final List<Structure> structures;
    private final int participantCapacity;

    private RegionSpec(String name, List<Structure> structures, int participantCapacity) {
        this.name = name;
        this.structures = List.copyOf(structures);
        this.participantCapacity = participantCapacity;
    }

    /** Starts a spec for the region {@code name} (letters, digits, '.', '_', '-'; at most 100 characters). */
    public static Builder named(String name) {
        return new Builder(Names.region(name));
    }

    public String name() {
        return name;
    }

    public List<Structure> structures() {
        return structures;
    }

    public int participantCapacity() {
        return participantCapacity;
    }

    /** Bytes the region file will take. */
    public long regionSize() {
        long offset = RegionDescriptor.structuresOffset(participantCapacity, structures.size());
        for (Structure structure : structures) {
            offset = RegionDescriptor.align(offset + structure.length(), RegionDescriptor.ALIGNMENT);
        }
        return offset;
    }

    @Override
    public String toString() {
        return "RegionSpec[name=" + name + ", structures=" + structures + "]";
    }

    /** Collects the structures of a region; {@link #build()} checks that names are unique. */
    public static final class Builder {
        private final String name;
        private final List<Structure> structures = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private int participantCapacity = RegionDescriptor.MAX_PARTICIPANTS;

        private Builder(String name) {
            this.name = name;
        }

        /** A single-producer single-consumer ring of {@code capacity} data bytes (a power of two, 1 KiB to 1 GiB). */
        public Builder spscRing(String name, int capacity) {
            return add(name, Kind.SPSC_RING, checkCapacity(name, capacity));
        }

        /** A multi-producer single-consumer ring: any number of producer threads in any number of processes. */
        public Builder mpscRing(String name, int capacity) {
            return add(name, Kind.MPSC_RING, checkCapacity(name, capacity));
        }

        public Builder atomicLong(String name) {
            return add(name, Kind.ATOMIC_LONG, 0);
        }

        public Builder atomicInt(String name) {
            return add(name, Kind.ATOMIC_INT, 0);
        }

        /**
         * A block of {@code bytes} raw bytes (1 to 1 GiB), zeroed at creation and starting on a 128-byte boundary:
         * room for a structure of the caller's own (a table, a set of counters) that every process shares.
         * {@link SharedRegion#block(String)} returns it as a {@code MemorySegment}.
         */
        public Builder block(String name, int bytes) {
            if (bytes < 1 || bytes > RingDescriptor.MAX_CAPACITY) {
                throw new IllegalArgumentException("block '" + name + "': bytes=" + bytes + " must be between 1 and "
                        + RingDescriptor.MAX_CAPACITY);
            }
            return add(name, Kind.BLOCK, bytes);
        }

        /**
         * How many processes may be attached at once: the size of the region's participant table (1 to 64, default
         * 64). This bounds live attachments only: the slot of a process that exits without closing is taken again
         * by a later attach (as a new incarnation, so that nothing the dead one left in the rings is taken for the
         * newcomer's), so any number of processes may come and go. The bound is 64 because a claimed record header
         * names its claimant in 7 bits and each ring header keeps a producer table of 64 entries.
         *
         * @param capacity participant slots, 1 to 64
         * @return this builder
         * @throws IllegalArgumentException when {@code capacity} is out of range
         */
        public Builder participants(int capacity) {
            if (capacity < 1 || capacity > RegionDescriptor.MAX_PARTICIPANTS) {
                throw new IllegalArgumentException("participants=" + capacity + " must be between 1 and "
                        + RegionDescriptor.MAX_PARTICIPANTS);
            }
            this.participantCapacity = capacity;
            return this;
        }

        public RegionSpec build() {
            return new RegionSpec(name, structures, participantCapacity);
        }

        private Builder add(String structureName, Kind kind, int capacity) {
            Names.structure(structureName);
            if (!names.add(structureName)) {
                throw new IllegalArgumentException("region '" + name + "' already has a structure named '"
                        + structureName + "'");
            }
            structures.add(new Structure(structureName, kind, capacity));
            return this;
        }

        private static int checkCapacity(String ring, int capacity) {
            Objects.requireNonNull(ring, "ring name");
            if (capacity < RingDescriptor.MIN_CAPACITY || capacity > RingDescriptor.MAX_CAPACITY
                    || Integer.bitCount(capacity) != 1) {
                throw new IllegalArgumentException("ring '" + ring + "': capacity=" + capacity
                        + " must be a power of two from " + RingDescriptor.MIN_CAPACITY + " to "
                        + RingDescriptor.MAX_CAPACITY + " bytes");
            }
            return capacity;
        }
    }
}
