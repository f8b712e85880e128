package io.millrace.actors.remote;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A node's region, {@code node-<id as 16 hex digits>}: one MPSC mailbox ring per dispatcher lane
 * ({@code lane-0} ...) and an {@code info} block that says who the node is and how it fares, for its peers and for
 * {@code millrace stat}.
 *
 * <pre>
 *   info block (256 bytes)
 *   +------------------------------------------------------------+  0
 *   | state (int: 0 starting, 1 running, 2 terminated) | lanes    |
 *   | pid | createdMillis | parentNode (0: none)                  |
 *   | actors | deadLetters | decodeErrors | childRestarts         |  counters, updated atomically
 *   +------------------------------------------------------------+  64
 *   | systemName: length byte + up to 127 ASCII bytes             |
 *   +------------------------------------------------------------+  192
 *   | reserved                                                   |
 *   +------------------------------------------------------------+  256
 * </pre>
 *
 * The creator lays the rings out and writes the info before it stores {@code state = running} with release; a peer
 * that reads {@code running} with acquire may send. {@code terminated} is stored when the node's system terminates.
 */
final class NodeDescriptor {
    static final String REGION_PREFIX = "node-";
    static final String INFO = "info";
    static final String LANE_PREFIX = "lane-";

    static final int STARTING = 0;
    static final int RUNNING = 1;
    static final int TERMINATED = 2;
    static final int MAX_SYSTEM_NAME = 127;

    static final StructLayout INFO_LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("state"), JAVA_INT.withName("lanes"),
            JAVA_LONG.withName("pid"), JAVA_LONG.withName("createdMillis"), JAVA_LONG.withName("parentNode"),
            JAVA_LONG.withName("actors"), JAVA_LONG.withName("deadLetters"), JAVA_LONG.withName("decodeErrors"),
            JAVA_LONG.withName("childRestarts"),
            MemoryLayout.sequenceLayout(MAX_SYSTEM_NAME + 1, JAVA_BYTE).withName("systemName"),
            MemoryLayout.paddingLayout(64));

    static final long STATE_OFFSET = offset("state");
    static final long LANES_OFFSET = offset("lanes");
    static final long PID_OFFSET = offset("pid");
    static final long CREATED_OFFSET = offset("createdMillis");
    static final long PARENT_OFFSET = offset("parentNode");
    static final long ACTORS_OFFSET = offset("actors");
    static final long DEAD_LETTERS_OFFSET = offset("deadLetters");
    static final long DECODE_ERRORS_OFFSET = offset("decodeErrors");
    /** How many times this node restarted child nodes it spawned ({@code NodeRestart}). */
    static final long CHILD_RESTARTS_OFFSET = offset("childRestarts");
    static final long SYSTEM_NAME_OFFSET = offset("systemName");
    static final int INFO_LENGTH = (int) INFO_LAYOUT.byteSize();

    private NodeDescriptor() {
    }

    static String regionName(long node) {
        return REGION_PREFIX + String.format("%016x", node);
    }

    static String laneName(int lane) {
        return LANE_PREFIX + lane;
    }

    private static long offset(String field) {
        return INFO_LAYOUT.byteOffset(groupElement(field));
    }
}
