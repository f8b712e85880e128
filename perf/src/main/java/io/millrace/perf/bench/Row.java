package io.millrace.perf.bench;

/**
 * One line of the result table: a system on a scenario at a message size. Figures are {@link Summary}s over
 * the repetitions; null where the scenario does not measure them. Ratios are filled by {@link Ratios}.
 *
 * @param msgsPerSec      messages received per second (pingpong: round trips per second; copy: copies per second)
 * @param gibPerSec       payload bytes per second in GiB (streams and copy; null for pingpong)
 * @param p50ns           round-trip percentiles in ns (pingpong only)
 * @param ratioToBestPeer see {@link Ratios}
 * @param ratioToLimit    see {@link Ratios}
 * @param ratioToCopy     stream rows: GiB/s relative to the copy bandwidth at the same size (table only)
 * @param note            how the row was measured when it is not obvious (shared measurement), or null
 * @param consumerCpuShare the consumer thread's CPU time over the repetition's wall time (streams with a Java
 *                         consumer thread; null where any repetition lacks it, see {@link StreamMeter})
 * @param msgsPerCpuSec    messages per second of the consumer thread's CPU time (null as above)
 */
public record Row(String system, Scenario scenario, int size, Summary msgsPerSec, Summary gibPerSec,
                  Summary p50ns, Summary p99ns, Summary p999ns,
                  Double ratioToBestPeer, Double ratioToLimit, Double ratioToCopy, String note,
                  Summary consumerCpuShare, Summary msgsPerCpuSec) {

    /** A row without consumer CPU figures. */
    public Row(String system, Scenario scenario, int size, Summary msgsPerSec, Summary gibPerSec,
               Summary p50ns, Summary p99ns, Summary p999ns,
               Double ratioToBestPeer, Double ratioToLimit, Double ratioToCopy, String note) {
        this(system, scenario, size, msgsPerSec, gibPerSec, p50ns, p99ns, p999ns, ratioToBestPeer, ratioToLimit,
                ratioToCopy, note, null, null);
    }

    /** Builds a row from the reported repetitions of its measurement. */
    public static Row of(String system, Scenario scenario, int size, java.util.List<RepResult> reps, String note) {
        Summary msgs = Summary.of(reps.stream().map(RepResult::messagesPerSecond).toList());
        Summary gib = scenario.isRoundTrip() || scenario.sizeKind() == Scenario.SizeKind.VARIANT ? null
                : Summary.of(reps.stream().map(r -> r.messagesPerSecond() * size / (double) (1L << 30)).toList());
        Summary p50 = null;
        Summary p99 = null;
        Summary p999 = null;
        if (reps.stream().allMatch(r -> r.p50ns() != null)) {
            p50 = Summary.of(reps.stream().map(RepResult::p50ns).toList());
            p99 = Summary.of(reps.stream().map(RepResult::p99ns).toList());
            p999 = Summary.of(reps.stream().map(RepResult::p999ns).toList());
        }
        Summary cpuShare = null;
        Summary perCpuSec = null;
        if (reps.stream().allMatch(r -> r.messagesPerCpuSecond() != null)) {
            cpuShare = Summary.of(reps.stream().map(RepResult::consumerCpuShare).toList());
            perCpuSec = Summary.of(reps.stream().map(RepResult::messagesPerCpuSecond).toList());
        }
        return new Row(system, scenario, size, msgs, gib, p50, p99, p999, null, null, null, note, cpuShare, perCpuSec);
    }

    public Row withRatios(Double toBestPeer, Double toLimit, Double toCopy) {
        return new Row(system, scenario, size, msgsPerSec, gibPerSec, p50ns, p99ns, p999ns,
                toBestPeer, toLimit, toCopy, note, consumerCpuShare, msgsPerCpuSec);
    }
}
