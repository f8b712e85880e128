/**
 * Millrace's worker pools: functions, generators and parallel maps in worker JVMs, streamed back as {@code Flux}
 * ({@link io.millrace.generators.WorkerPool}, {@link io.millrace.generators.Processes},
 * {@link io.millrace.generators.Generators}, {@link io.millrace.generators.Parallel}).
 *
 * <p>A user module that ships lambdas to workers needs no directive for them; one whose values (task results, map
 * items, generator elements) are records carried by the actors' codec opens their package to
 * {@code io.millrace.actors}, as for actors. Native access: {@code --enable-native-access=io.millrace.shm,io.millrace.actors}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // reactor-core: an automatic module
module io.millrace.generators {
    requires transitive io.millrace.reactive;

    exports io.millrace.generators;
    // the worker's main is launched by ChildMain (io.millrace.actors) and the protocol's package-private records
    // are carried by the actors' codec through a private lookup
    opens io.millrace.generators to io.millrace.actors;
}
