package io.millrace.shm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Layout of a region file: a header, a participant table, a directory of named structures, then the
 * structures themselves (rings, atomics), each starting on a 128-byte boundary.
 *
 * <pre>
 *   +--------------------------------------------------------------+  0
 *   | Header (128 bytes)                                           |
 *   |   magic "MILLRACE" | layoutVersion (written last, release)   |
 *   |   participantCapacity | regionSize | creatorPid              |
 *   |   creatorStartTime | createdMillis | directoryCount          |
 *   +--------------------------------------------------------------+  128
 *   | Participants: participantCapacity slots x 128 bytes          |
 *   |   owner (incarnation << 32 | pid) | startTime |              |
 *   |   startIncarnation | heartbeatMillis | attachedMillis        |
 *   +--------------------------------------------------------------+
 *   | Directory: directoryCount entries x 64 bytes                 |
 *   |   name (length byte + 39 bytes) | kind | capacity | offset | length |
 *   +--------------------------------------------------------------+  (128-aligned)
 *   | Structures: rings ({@link RingDescriptor}) and atomics        |
 *   |   (128 bytes each, the value at the start)                   |
 *   +--------------------------------------------------------------+  regionSize
 * </pre>
 *
 * The creator writes everything, then {@code layoutVersion} with a release store: a non-zero version means
 * the region is ready. An attacher reads it with acquire and compares it with {@link #LAYOUT_VERSION}.
 */
final class RegionDescriptor {
    /** "MILLRACE" in ASCII, as a little-endian long. */
    static final long MAGIC = 0x4543_4152_4C4C_494DL;
    static final int LAYOUT_VERSION = 6;
    static final String FILE_SUFFIX = ".region";
    /**
     * Most participant slots a region has: a claimed record header names its claimant in 7 bits (slot + 1), and each
     * ring keeps a producer table of this many entries in its header (see {@link RingDescriptor}).
     */
    static final int MAX_PARTICIPANTS = 64;
    static final int ALIGNMENT = 128;

    static final StructLayout HEADER = MemoryLayout.structLayout(
            JAVA_LONG.withName("magic"),
            JAVA_INT.withName("layoutVersion"),
            JAVA_INT.withName("participantCapacity"),
            JAVA_LONG.withName("regionSize"),
            JAVA_LONG.withName("creatorPid"),
            JAVA_LONG.withName("creatorStartTime"),
            JAVA_LONG.withName("createdMillis"),
            JAVA_INT.withName("directoryCount"),
            JAVA_INT.withName("reserved"),
            MemoryLayout.paddingLayout(72));

    static final StructLayout PARTICIPANT = MemoryLayout.structLayout(
            JAVA_LONG.withName("owner"),
            JAVA_LONG.withName("startTime"),
            JAVA_LONG.withName("startIncarnation"),
            JAVA_LONG.withName("heartbeatMillis"),
            JAVA_LONG.withName("attachedMillis"),
            MemoryLayout.paddingLayout(88));

    static final StructLayout DIRECTORY_ENTRY = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(Names.MAX_STRUCTURE_NAME + 1, JAVA_BYTE).withName("name"),
            JAVA_INT.withName("kind"),
            JAVA_INT.withName("capacity"),
            JAVA_LONG.withName("offset"),
            JAVA_LONG.withName("length"));

    static final long MAGIC_OFFSET = offset(HEADER, "magic");
    static final long LAYOUT_VERSION_OFFSET = offset(HEADER, "layoutVersion");
    static final long PARTICIPANT_CAPACITY_OFFSET = offset(HEADER, "participantCapacity");
    static final long REGION_SIZE_OFFSET = offset(HEADER, "regionSize");
    static final long CREATOR_PID_OFFSET = offset(HEADER, "creatorPid");
    static final long CREATOR_START_TIME_OFFSET = offset(HEADER, "creatorStartTime");
    static final long CREATED_MILLIS_OFFSET = offset(HEADER, "createdMillis");
    static final long DIRECTORY_COUNT_OFFSET = offset(HEADER, "directoryCount");
    static final long HEADER_LENGTH = HEADER.byteSize();

    static final long PARTICIPANTS_OFFSET = HEADER_LENGTH;
    static final long PARTICIPANT_LENGTH = PARTICIPANT.byteSize();
    static final long PARTICIPANT_OWNER_OFFSET = offset(PARTICIPANT, "owner");
    static final long PARTICIPANT_START_TIME_OFFSET = offset(PARTICIPANT, "startTime");
    static final long PARTICIPANT_START_INCARNATION_OFFSET = offset(PARTICIPANT, "startIncarnation");
    static final long PARTICIPANT_HEARTBEAT_OFFSET = offset(PARTICIPANT, "heartbeatMillis");
    static final long PARTICIPANT_ATTACHED_OFFSET = offset(PARTICIPANT, "attachedMillis");

    static final long ENTRY_LENGTH = DIRECTORY_ENTRY.byteSize();
    static final long ENTRY_NAME_OFFSET = offset(DIRECTORY_ENTRY, "name");
    static final long ENTRY_KIND_OFFSET = offset(DIRECTORY_ENTRY, "kind");
    static final long ENTRY_CAPACITY_OFFSET = offset(DIRECTORY_ENTRY, "capacity");
    static final long ENTRY_OFFSET_OFFSET = offset(DIRECTORY_ENTRY, "offset");
    static final long ENTRY_LENGTH_OFFSET = offset(DIRECTORY_ENTRY, "length");

    /** Length of one atomic's block: the value alone on its own 128 bytes. */
    static final long ATOMIC_LENGTH = ALIGNMENT;

    private RegionDescriptor() {
    }

    static long participantOffset(int slot) {
        return PARTICIPANTS_OFFSET + slot * PARTICIPANT_LENGTH;
    }

    static long directoryOffset(int participantCapacity) {
        return PARTICIPANTS_OFFSET + participantCapacity * PARTICIPANT_LENGTH;
    }

    static long entryOffset(int participantCapacity, int index) {
        return directoryOffset(participantCapacity) + index * ENTRY_LENGTH;
    }

    /** Where the first structure starts, after header, participants and a directory of {@code entries}. */
    static long structuresOffset(int participantCapacity, int entries) {
        return align(entryOffset(participantCapacity, entries), ALIGNMENT);
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(groupElement(field));
    }
}
