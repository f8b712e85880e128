package io.millrace.perf.bench;

import java.util.List;

/**
 * The outcome of a run: the rows (with ratios), the rows left out and why, and how it was measured.
 *
 * @param systems  the systems that took part, for the notes under the table
 */
public record Report(List<Row> rows, List<Omission> omissions, List<BenchSystem> systems,
                     int warmupMs, int repMs, int reps, MachineInfo machine, String command) {
}
