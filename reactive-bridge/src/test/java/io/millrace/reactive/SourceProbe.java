package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.Terminated;
import reactor.core.publisher.Flux;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An actor that feeds an {@link ActorSource}: {@code "0"}, {@code "1"}, ... one per ack, then {@code "END"} (or
 * {@code "BOOM"}, or two elements at once when {@code eager}) after {@code count}; it watches the ref it feeds.
 * Events go to {@code log}: {@code SENT i}, {@code ACK n}, {@code TERMINATED acks=n}.
 */
final class SourceProbe {
    sealed interface Cmd permits Ready, Next {
    }

    record Ready(ActorRef<String> into) implements Cmd {
    }

    record Next(ActorRef<String> into) implements Cmd {
    }

    enum Ending { COMPLETE, FAIL, NONE, EAGER }

    final AtomicInteger acks = new AtomicInteger();
    final CompletableFuture<Integer> terminated = new CompletableFuture<>();
    private final int count;
    private final Ending ending;
    private final Consumer<String> log;

    SourceProbe(int count, Ending ending, Consumer<String> log) {
        this.count = count;
        this.ending = ending;
        this.log = log;
    }

    Behavior<Cmd> behavior() {
        Map<ActorRef<String>, Integer> sent = new HashMap<>(); // by subscription
        return Behaviors.receive((context, cmd) -> {
            switch (cmd) {
                case Ready r -> {
                    context.watch(r.into());
                    send(r.into(), sent);
                    if (ending == Ending.EAGER) {
                        send(r.into(), sent);
                    }
                }
                case Next n -> {
                    log.accept("ACK " + acks.incrementAndGet());
                    send(n.into(), sent);
                }
            }
            return Behaviors.same();
        }, (context, signal) -> {
            if (signal instanceof Terminated t) {
                sent.remove(t.ref());
                log.accept("TERMINATED acks=" + acks.get());
                terminated.complete(acks.get());
            }
            return Behaviors.same();
        });
    }

    private void send(ActorRef<String> into, Map<ActorRef<String>, Integer> sent) {
        int next = sent.getOrDefault(into, 0);
        if (next < count) {
            log.accept("SENT " + next);
            sent.put(into, next + 1);
            into.tell(String.valueOf(next));
        } else if (ending == Ending.COMPLETE || ending == Ending.FAIL) {
            into.tell(ending == Ending.COMPLETE ? "END" : "BOOM");
        }
    }

    /** The stream fed by the probe's actor {@code ref}: {@code END} completes it, {@code BOOM} fails it. */
    static Flux<String> flux(ActorSystem<?> system, ActorRef<Cmd> ref) {
        return ActorSource.actorRefWithBackpressure(system, ref, Ready::new, Next::new, "END"::equals,
                s -> s.equals("BOOM") ? Optional.of(new IllegalStateException("boom")) : Optional.empty());
    }
}
