package io.millrace.state;

/**
 * What the transactions of one site (a block's class) cost in this process, since it started.
 *
 * @param site       the block's class name
 * @param commits    attempts that committed
 * @param aborts     attempts that met a conflict (each is retried, until the attempts run out)
 * @param abortNanos time spent in attempts that aborted
 */
public record TransactionStats(String site, long commits, long aborts, long abortNanos) {
}
