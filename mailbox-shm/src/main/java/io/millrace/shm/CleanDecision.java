package io.millrace.shm;

/**
 * What {@link ShmDirectory#cleanPlan()} decided for one region file, and why.
 *
 * @param name   the region's name
 * @param remove true when no live process uses it (so {@link ShmDirectory#clean()} removes it)
 * @param reason why, in words naming the pids involved
 */
public record CleanDecision(String name, boolean remove, String reason) {
}
