/**
 * Millrace's typed actors across processes: the API ({@code io.millrace.actors}), the message codec and its
 * {@link io.millrace.actors.codec.Codec} SPI ({@code .codec}) and the child-JVM launcher ({@code .launch}).
 *
 * <p>A user module whose records cross a process boundary, or whose lambdas are shipped to a node
 * ({@code spawnNode(...).spawn(factory, name)}), opens their package to this module:
 * {@code opens com.example.app to io.millrace.actors;} (the codec reads record components and calls canonical
 * constructors through a private lookup; shipping reads a lambda's serial form). A public record of an exported
 * package needs no {@code opens}. Native access: {@code --enable-native-access=io.millrace.shm,io.millrace.actors}
 * (futex waits; pidfd and poll in {@code ProcessWatch}).
 */
@SuppressWarnings("module") // the qualified export names io.millrace.reactive and .generators, built after this module
module io.millrace.actors {
    requires transitive io.millrace.shm;
    requires transitive org.slf4j;
    requires com.lmax.disruptor;

    exports io.millrace.actors;
    exports io.millrace.actors.codec;
    exports io.millrace.actors.launch;
    // ProcessWatch (a producer's death wakes its consumers at once); Shipping and the frames are not API
    exports io.millrace.actors.remote to io.millrace.reactive, io.millrace.generators;
}
