/**
 * Millrace's reactive streams across processes: {@code Flux}/{@code Mono} published in one process and subscribed
 * in another ({@link io.millrace.reactive.Streams}), and the {@link io.millrace.reactive.ElementCodec} SPI found
 * through {@link java.util.ServiceLoader} ({@code provides io.millrace.reactive.ElementCodec with ...} in a user
 * module). Record elements are carried by the actors' codec: their package is opened to {@code io.millrace.actors}.
 */
// reactor-core and reactive-streams have automatic module names only (their Automatic-Module-Name)
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.millrace.reactive {
    requires transitive io.millrace.actors;
    requires transitive reactor.core;
    requires transitive org.reactivestreams;

    exports io.millrace.reactive;

    uses io.millrace.reactive.ElementCodec;
    uses io.millrace.reactive.ElementCodecProvider;
}
