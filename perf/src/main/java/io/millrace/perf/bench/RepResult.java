package io.millrace.perf.bench;

/**
 * One reported repetition of a trial.
 *
 * @param rep      1-based repetition number (0, the warm-up, is never reported)
 * @param messages messages received (streams), round trips (pingpong) or copies (copy) in the window
 * @param nanos    length of the window
 * @param p50ns    round-trip percentiles, or null where not measured
 * @param cpuNanos CPU time of the consumer's thread in the window ({@link StreamMeter}), or null where not
 *                 measured (no Java consumer thread, or the consumer ran on more than one thread in the window)
 */
public record RepResult(int rep, long messages, long nanos, Long p50ns, Long p99ns, Long p999ns, Long cpuNanos) {

    /** A repetition without a consumer CPU time (round trips, copies, consumers that are not our Java thread). */
    public RepResult(int rep, long messages, long nanos, Long p50ns, Long p99ns, Long p999ns) {
        this(rep, messages, nanos, p50ns, p99ns, p999ns, null);
    }

    public static RepResult throughput(int rep, long messages, long nanos) {
        return new RepResult(rep, messages, nanos, null, null, null, null);
    }

    /** A stream repetition with the CPU time its consumer's thread spent in the window (null: not measured). */
    public static RepResult throughput(int rep, long messages, long nanos, Long cpuNanos) {
        return new RepResult(rep, messages, nanos, null, null, null, cpuNanos);
    }

    public double messagesPerSecond() {
        return nanos <= 0 ? 0 : messages * 1e9 / nanos;
    }

    /** The consumer's CPU time over the window's wall time (1.0: on a CPU the whole window), or null. */
    public Double consumerCpuShare() {
        return cpuNanos == null || nanos <= 0 ? null : cpuNanos / (double) nanos;
    }

    /** Messages per second of the consumer's CPU time, or null where not measured. */
    public Double messagesPerCpuSecond() {
        return cpuNanos == null || cpuNanos <= 0 ? null : messages * 1e9 / cpuNanos;
    }
}
