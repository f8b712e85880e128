package io.millrace.shm;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A region as {@link ShmDirectory#inspect(String)} read it, without attaching: its header, its participants,
 * its rings' counters and its atomics' values.
 */
public record RegionSnapshot(String name, Path file, long size, int layoutVersion, long creatorPid,
                             boolean creatorAlive, long createdMillis, List<ParticipantInfo> participants,
                             List<RingStats> rings, Map<String, Long> atomics) {
}
