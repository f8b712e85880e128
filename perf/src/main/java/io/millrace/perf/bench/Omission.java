package io.millrace.perf.bench;

/** A row that is not in the table, and why: the system cannot do it, or its trial failed. */
public record Omission(String system, Scenario scenario, int size, String reason) {
}
