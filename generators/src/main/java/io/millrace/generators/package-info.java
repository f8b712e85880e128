/**
 * Functions, generators and parallel maps run in worker JVMs and streamed back as {@code Flux}, with extract/merge
 * of each child's state at join: {@link io.millrace.generators.WorkerPool} (the warm pool),
 * {@link io.millrace.generators.Processes} (a function in a process of its own),
 * {@link io.millrace.generators.Generators} (a generator as a lazy {@code Flux}) and
 * {@link io.millrace.generators.Parallel} ({@code map}, {@code starmap}, {@code mapUnordered}).
 */
package io.millrace.generators;
