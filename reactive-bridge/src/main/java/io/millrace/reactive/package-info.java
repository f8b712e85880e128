/**
 * {@code Flux}/{@code Mono} across processes over shared-memory rings, with backpressure, cancellation
 * and errors. Not built yet: see docs/ARCHITECTURE.md for the plan.
 */
package io.millrace.reactive;
