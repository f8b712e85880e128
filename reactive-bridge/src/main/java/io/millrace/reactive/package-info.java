/**
 * {@code Flux}/{@code Mono} across processes over shared-memory rings, with backpressure, cancellation and errors:
 * {@link io.millrace.reactive.Streams} publishes and imports, {@link io.millrace.reactive.StreamRef} names a
 * stream in a message, {@link io.millrace.reactive.ElementCodecs} finds the codec of an element type;
 * {@link io.millrace.reactive.ActorSink} and {@link io.millrace.reactive.ActorSource} join actors and streams with
 * backpressure.
 */
package io.millrace.reactive;
