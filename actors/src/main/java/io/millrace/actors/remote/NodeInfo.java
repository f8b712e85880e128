package io.millrace.actors.remote;

import io.millrace.shm.RegionException;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A node's {@code info} block as {@code millrace stat} reads it, read-only ({@link ShmDirectory#inspectBlock}):
 * nothing is attached or registered.
 *
 * @param region        the region's name ({@code node-<id>})
 * @param systemName    the node's system name
 * @param state         {@code starting}, {@code running} or {@code terminated}
 * @param pid           its process
 * @param createdMillis when it was made (epoch millis)
 * @param parentNode    the node that spawned it, or 0
 * @param lanes         its dispatcher lanes (one ring each)
 * @param actors        live actors
 * @param deadLetters   dead letters so far
 * @param decodeErrors  records of its lane rings that did not decode
 * @param childRestarts restarts of the child nodes it spawned
 */
public record NodeInfo(String region, String systemName, String state, long pid, long createdMillis, long parentNode,
                       int lanes, long actors, long deadLetters, long decodeErrors, long childRestarts) {

    /** @return whether {@code regionName} names a node's region */
    public static boolean isNodeRegion(String regionName) {
        return regionName.startsWith(NodeDescriptor.REGION_PREFIX);
    }

    /**
     * Reads the info block of node {@code node}.
     *
     * @param directory the base directory
     * @param node      the node id
     * @return the node's info
     * @throws RegionException if the node's region cannot be read
     */
    public static NodeInfo read(ShmDirectory directory, long node) {
        return read(directory, NodeDescriptor.regionName(node));
    }

    /**
     * Reads the info block of node region {@code regionName}.
     *
     * @param directory  the base directory
     * @param regionName a node's region name
     * @return the node's info
     * @throws RegionException if the region cannot be read or has no info block of the right size
     */
    public static NodeInfo read(ShmDirectory directory, String regionName) {
        byte[] bytes = directory.inspectBlock(regionName, NodeDescriptor.INFO);
        if (bytes.length < NodeDescriptor.INFO_LENGTH) {
            throw new RegionException(RegionException.Reason.CORRUPT, "region '" + regionName + "' has an info"
                    + " block of length=" + bytes.length + ", not " + NodeDescriptor.INFO_LENGTH);
        }
        MemorySegment info = MemorySegment.ofArray(bytes);
        int stateValue = info.get(ValueLayout.JAVA_INT_UNALIGNED, NodeDescriptor.STATE_OFFSET);
        String state = switch (stateValue) {
            case NodeDescriptor.STARTING -> "starting";
            case NodeDescriptor.RUNNING -> "running";
            case NodeDescriptor.TERMINATED -> "terminated";
            default -> "state=" + stateValue;
        };
        int nameLength = Math.min(info.get(ValueLayout.JAVA_BYTE, NodeDescriptor.SYSTEM_NAME_OFFSET) & 0xFF,
                NodeDescriptor.MAX_SYSTEM_NAME);
        String name = new String(bytes, (int) NodeDescriptor.SYSTEM_NAME_OFFSET + 1, nameLength,
                StandardCharsets.US_ASCII);
        return new NodeInfo(regionName, name, state, at(info, NodeDescriptor.PID_OFFSET),
                at(info, NodeDescriptor.CREATED_OFFSET), at(info, NodeDescriptor.PARENT_OFFSET),
                info.get(ValueLayout.JAVA_INT_UNALIGNED, NodeDescriptor.LANES_OFFSET),
                at(info, NodeDescriptor.ACTORS_OFFSET), at(info, NodeDescriptor.DEAD_LETTERS_OFFSET),
                at(info, NodeDescriptor.DECODE_ERRORS_OFFSET), at(info, NodeDescriptor.CHILD_RESTARTS_OFFSET));
    }

    private static long at(MemorySegment info, long offset) {
        return info.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
    }
}
