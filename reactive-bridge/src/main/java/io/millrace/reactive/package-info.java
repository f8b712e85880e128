/**
 * {@code Flux}/{@code Mono} across processes over shared-memory rings, with backpressure, cancellation and errors:
 * {@link io.millrace.reactive.Streams} publishes and imports, {@link io.millrace.reactive.StreamRef} names a
 * stream in a message, {@link io.millrace.reactive.ElementCodecs} finds the codec of an element type.
 */
package io.millrace.reactive;
