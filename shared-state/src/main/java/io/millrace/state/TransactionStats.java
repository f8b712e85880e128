package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.util.List;
import java.util.Objects;

/**
 * What the transactions of one site (where a block is: {@code Class.method:line} of the first call that ran it) cost: in this process ({@link Transactions#stats()}) or, for
 * one struct array or map, summed over every process ({@link StructArray#transactionStats()},
 * {@link SharedMap#transactionStats()}, {@link #inspect}).
 *
 * @param site       {@code Class.method:line} (its last 84 bytes in the shared table)
 * @param commits    attempts that committed
 * @param aborts     attempts that met a conflict (each is retried, until the attempts run out)
 * @param retried    commits that took more than one attempt
 * @param abortNanos time spent in attempts that aborted (each process times a site's attempts from its first abort
 *                   there on: that first aborted attempt counts 0)
 */
public record TransactionStats(String site, long commits, long aborts, long retried, long abortNanos) {
    /**
     * Reads the shared statistics of the struct array or map {@code region} without attaching to it (for tools such
     * as {@code millrace stat}).
     *
     * @param directory the base directory
     * @param region    the region's name
     * @return the sites' statistics; empty when the region holds no struct array or map
     * @throws io.millrace.shm.RegionException when the region is missing or not a valid region
     */
    public static List<TransactionStats> inspect(ShmDirectory directory, String region) {
        Objects.requireNonNull(directory, "directory");
        return directory.inspectBlock(region, StatsTable.BLOCK, StatsTable::read).orElse(List.of());
    }
}
