package io.millrace.perf.bench;

/**
 * One reported repetition of a trial.
 *
 * @param rep      1-based repetition number (0, the warm-up, is never reported)
 * @param messages messages received (streams), round trips (pingpong) or copies (copy) in the window
 * @param nanos    length of the window
 * @param p50ns    round-trip percentiles, or null where not measured
 */
public record RepResult(int rep, long messages, long nanos, Long p50ns, Long p99ns, Long p999ns) {

    public static RepResult throughput(int rep, long messages, long nanos) {
        return new RepResult(rep, messages, nanos, null, null, null);
    }

    public double messagesPerSecond() {
        return nanos <= 0 ? 0 : messages * 1e9 / nanos;
    }
}
