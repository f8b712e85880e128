package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behaviors;
import io.millrace.actors.Receptionist;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.TypeRegistry;
import io.millrace.reactive.Orders.Order;
import io.millrace.reactive.RefMessages.Cmd;
import io.millrace.reactive.RefMessages.Consume;
import io.millrace.reactive.RefMessages.Consumed;
import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link StreamRef}s inside actor messages: carried by the actors' codec, subscribed to where they arrive. */
@SuppressWarnings("try") // publications and children held open by try-with-resources for the test's length
class StreamRefMessageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    record Carrier(StreamRef<Order> orders, List<StreamRef<byte[]>> more) {
    }

    @Test
    void shouldCarryAStreamRefThroughTheActorsCodec() {
        MessageCodec codec = new MessageCodec(TypeRegistry.inMemory());
        Carrier carrier = new Carrier(StreamRef.of("orders", Order.class), List.of(StreamRef.of("raw", byte[].class)));
        Carrier back = (Carrier) codec.decode(codec.encode(carrier));
        assertThat(back).isEqualTo(carrier);
        assertThat(back.orders().elementType()).isEqualTo(Order.class);
        assertThat(back.more().getFirst().elementType()).isEqualTo(byte[].class);
    }

    @Test
    void shouldNameTheElementTypeThatCannotBeLoaded() {
        StreamRef<Object> ref = new StreamRef<>("gone", "io.millrace.NoSuchType");
        assertThatThrownBy(ref::elementType).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("elementTypeName=io.millrace.NoSuchType").hasMessageContaining("'gone'");
        assertThatThrownBy(() -> new StreamRef<>("x", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("elementTypeName");
    }

    @Test
    void shouldLetAnActorInAnotherJvmSubscribeToTheStreamARefInItsMessageNames() throws Exception {
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(shm.path())
                .withDispatcherThreads(1).withMailboxCapacity(1024).withTerminateTimeout(Duration.ofSeconds(20));
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "ref-parent", config);
             Publication p = Streams.publish("ref-orders", Order.class, Flux.range(0, 200).map(Orders::order),
                     shm.directory());
             ChildJvm child = ChildJvm.start(RefChild.class, "consume", shm.path().toString())) {
            assertThat(child.awaitLine("READY", WAIT)).isEqualTo("READY");
            Set<ActorRef<Cmd>> found = Receptionist.lookup(system, RefMessages.CONSUMER, WAIT);
            assertThat(found).hasSize(1);
            ActorRef<Cmd> consumer = found.iterator().next();
            assertThat(consumer.path().node()).isNotEqualTo(system.nodeId());
            Consumed consumed = AskPattern.<Cmd, Consumed>ask(consumer,
                    replyTo -> new Consume(StreamRef.of("ref-orders", Order.class), replyTo), WAIT, system)
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertThat(consumed.error()).isEmpty();
            assertThat(consumed.ids()).containsExactlyElementsOf(Flux.range(0, 200).map(i -> (long) i).toIterable());
            consumer.tell(new RefMessages.Quit());
            assertThat(child.awaitExit(WAIT)).as(String.join("\n", child.transcript())).isZero();
        }
        TestFiles.awaitNone(shm);
    }
}
