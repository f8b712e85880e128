package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.ServiceKey;
import io.millrace.reactive.Orders.Order;
import io.millrace.shm.ShmDirectory;

import java.util.List;

/** Actor messages that carry {@link StreamRef}s, and the consumer actor that subscribes to what they name. */
final class RefMessages {
    static final ServiceKey<Cmd> CONSUMER = ServiceKey.create(Cmd.class, "stream-consumer");

    private RefMessages() {
    }

    sealed interface Cmd permits Consume, Quit {
    }

    /** Subscribe to {@code orders}, reply with what arrived. */
    record Consume(StreamRef<Order> orders, ActorRef<Consumed> replyTo) implements Cmd {
    }

    record Quit() implements Cmd {
    }

    /** The ids of the orders that arrived, or the failure. */
    record Consumed(List<Long> ids, String error) {
    }

    /**
     * Subscribes (off the actor's thread) to the stream a {@link Consume} names, in {@code directory}, and replies
     * once it completes; {@link Quit} stops the actor.
     */
    static Behavior<Cmd> consumer(ShmDirectory directory) {
        return Behaviors.receiveMessage(cmd -> switch (cmd) {
            case Consume c -> {
                c.orders().flux(directory).map(Order::id).collectList().subscribe(
                        ids -> c.replyTo().tell(new Consumed(ids, "")),
                        e -> c.replyTo().tell(new Consumed(List.of(), String.valueOf(e))));
                yield Behaviors.same();
            }
            case Quit q -> Behaviors.stopped();
        });
    }
}
