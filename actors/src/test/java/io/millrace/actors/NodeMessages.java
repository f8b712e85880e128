package io.millrace.actors;

import java.util.List;

/** Messages of the cross-process actor tests ({@link CrossNodeTest}, {@link NodeChild}). */
final class NodeMessages {

    private NodeMessages() {
    }

    /** What the echo actors take. */
    sealed interface Cmd permits Ping, Forward, Seq, Stop, Ignore, Blob, Register {
    }

    /** Replies {@link Pong} with {@code n} to {@code replyTo}. */
    record Ping(int n, ActorRef<Pong> replyTo) implements Cmd {
    }

    /** Tells {@code to} a {@link Ping} of {@code n} that asks it to reply to {@code replyTo}. */
    record Forward(ActorRef<Cmd> to, int n, ActorRef<Pong> replyTo) implements Cmd {
    }

    /** The {@code n}th message of sender {@code sender}. */
    record Seq(int sender, int n) implements Cmd {
    }

    /** Terminates the receiver's system. */
    record Stop() implements Cmd {
    }

    /** Never answered: an ask of it waits. */
    record Ignore(ActorRef<Pong> replyTo) implements Cmd {
    }

    /** A message of any size. */
    record Blob(byte[] bytes) implements Cmd {
    }

    /** Asks for the refs of many actors. */
    record Register(ActorRef<Refs> replyTo) implements Cmd {
    }

    /** The reply to {@link Ping}: {@code n} and the name of the system that answered. */
    record Pong(int n, String from) {
    }

    /** Refs of many actors. */
    record Refs(List<ActorRef<Integer>> refs) {
    }

    static final ServiceKey<Cmd> SINK = ServiceKey.create(Cmd.class, "sink");

    static ServiceKey<Cmd> echoKey(String system) {
        return ServiceKey.create(Cmd.class, "echo-" + system);
    }

    /** An echo actor that answers as {@code system}. */
    static Behavior<Cmd> echo(String system) {
        return Behaviors.receive((ctx, cmd) -> {
            switch (cmd) {
                case Ping p -> p.replyTo().tell(new Pong(p.n(), system));
                case Forward f -> f.to().tell(new Ping(f.n(), f.replyTo()));
                case Stop s -> ctx.getSystem().terminate();
                default -> {
                }
            }
            return Behaviors.same();
        });
    }
}
