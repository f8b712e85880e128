package io.millrace.perf.bench;

import java.nio.file.Path;

/**
 * A {@code bench} run's wait probe to kill, for {@code KilledWaitProbeTest}: {@link BenchCommand#waitProbe} (quick:
 * a 2 s idle window, after 2 s of settling) in the work directory {@code args[0]}, as a run does after its trials.
 */
public final class KilledWaitProbeChild {
    private KilledWaitProbeChild() {
    }

    public static void main(String[] args) {
        System.out.println(BenchCommand.waitProbe(Path.of(args[0]), true));
    }
}
