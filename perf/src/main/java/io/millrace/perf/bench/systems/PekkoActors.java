package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.ProducerSequence;
import io.millrace.perf.bench.StreamMeter;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The messages and behaviours of the {@code pekko} and {@code pekko-artery} systems, in Pekko Typed's Java DSL.
 *
 * <p>Streams (actor-tell, actor-fanin, actor-local): a sender actor per producer tells {@link Msg}s to one receiver
 * actor, which feeds their headers to a {@link StreamMeter}. Artery drops messages when an association's outbound
 * queue (3072 by default) is full, and a local mailbox is unbounded, so the sender keeps at most {@value #WINDOW}
 * messages unacknowledged: the receiver tells each sender an {@link Ack} of what it received every
 * {@value #ACK_EVERY} messages and at each end-of-repetition marker (the window Pekko's reliable delivery uses, by
 * hand). Ask (actor-ask): {@link Ask} carries the reply-to ref and the responder replies with a {@link Msg}.
 *
 * <p>Messages sent between JVMs are records marked {@link Cbor}, bound to Pekko's Jackson CBOR serializer.
 */
final class PekkoActors {

    /** Messages unacknowledged at most, per sender. */
    static final int WINDOW = 2048;
    /** The receiver acknowledges every this many messages of a sender (and at each marker). */
    static final int ACK_EVERY = 256;

    private PekkoActors() {
    }

    /** Marks the messages sent between JVMs: bound to {@code jackson-cbor} in the configuration. */
    interface Cbor {
    }

    /** What the receiver (and the ask responder) handles. */
    interface ReceiverMessage {
    }

    /** What a sender handles. */
    interface SenderMessage {
    }

    /**
     * One benchmark message: the harness's 8-byte header, the producer, and {@code size - 12} bytes of payload (a 64 B
     * message is 8 + 4 + 52 bytes of fields).
     */
    record Msg(long header, int producer, byte[] payload) implements ReceiverMessage, Cbor {
    }

    /** A sender introduces itself before its first message, so that the receiver can acknowledge. */
    record Hello(int producer, ActorRef<Ack> sender) implements ReceiverMessage, Cbor {
    }

    /** The receiver has had {@code received} messages (data and markers) of the sender it is told to. */
    record Ack(long received) implements SenderMessage, Cbor {
    }

    /** Start sending (told by the sender's own JVM after GO). */
    record Start() implements SenderMessage {
    }

    /** A request of actor-ask; the responder replies with a {@link Msg} of the same header and payload. */
    record Ask(long header, byte[] payload, ActorRef<Msg> replyTo) implements ReceiverMessage, Cbor {
    }

    /** The payload bytes of a {@code size}-byte message. */
    static byte[] payload(int size) {
        byte[] p = new byte[Math.max(0, size - 12)];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 31 + 7);
        }
        return p;
    }

    /** Where an actor reports that its part is over, or failed; the JVM's main thread waits on it. */
    static final class Outcome {
        private final CountDownLatch done = new CountDownLatch(1);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        void complete() {
            done.countDown();
        }

        void fail(Throwable t) {
            failure.compareAndSet(null, t);
            done.countDown();
        }

        /**
         * Waits until the part is over.
         *
         * @throws IllegalStateException if an actor failed, or nothing happened for {@code timeout}
         */
        void await(Duration timeout) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("timed out after " + timeout + " waiting for the actors");
            }
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException(t.toString(), t);
            }
        }
    }

    /** The receiver: meters every message, acknowledges each sender, completes {@code outcome} after the last rep. */
    static Behavior<ReceiverMessage> receiver(StreamMeter meter, int producers, Outcome outcome) {
        return Behaviors.setup(context -> {
            @SuppressWarnings("unchecked")
            ActorRef<Ack>[] senders = new ActorRef[producers];
            long[] received = new long[producers];
            return Behaviors.receive(ReceiverMessage.class)
                    .onMessage(Hello.class, hello -> {
                        senders[hello.producer()] = hello.sender();
                        return Behaviors.same();
                    })
                    .onMessage(Msg.class, msg -> {
                        try {
                            meter.onHeader(msg.header());
                            int p = msg.producer();
                            long n = ++received[p];
                            if (n % ACK_EVERY == 0 || Header.isMarker(msg.header())) {
                                senders[p].tell(new Ack(n));
                            }
                            if (meter.done()) {
                                outcome.complete();
                                return Behaviors.stopped();
                            }
                            return Behaviors.same();
                        } catch (RuntimeException e) {
                            outcome.fail(e);
                            return Behaviors.stopped();
                        }
                    })
                    .build();
        });
    }

    /**
     * A sender: on {@link Start} and on each {@link Ack}, tells {@code target} the next headers of {@code sequence}
     * while fewer than {@value #WINDOW} are unacknowledged; completes {@code outcome} once the last one is acknowledged.
     */
    static Behavior<SenderMessage> sender(ProducerSequence sequence, int producer, byte[] payload,
                                          ActorRef<ReceiverMessage> target, Outcome outcome) {
        return Behaviors.setup(context -> {
            long[] sentAcked = new long[2];
            Runnable pump = () -> {
                while (sequence.hasNext() && sentAcked[0] - sentAcked[1] < WINDOW) {
                    target.tell(new Msg(sequence.next(), producer, payload));
                    sentAcked[0]++;
                }
                if (!sequence.hasNext() && sentAcked[1] == sentAcked[0]) {
                    outcome.complete();
                }
            };
            return Behaviors.receive(SenderMessage.class)
                    .onMessage(Start.class, start -> {
                        target.tell(new Hello(producer, context.getSelf().narrow()));
                        pump.run();
                        return Behaviors.same();
                    })
                    .onMessage(Ack.class, ack -> {
                        sentAcked[1] = Math.max(sentAcked[1], ack.received());
                        pump.run();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** The ask responder: replies to every {@link Ask}; completes {@code outcome} after replying to the stop. */
    static Behavior<ReceiverMessage> responder(Outcome outcome) {
        return Behaviors.receive(ReceiverMessage.class)
                .onMessage(Ask.class, ask -> {
                    ask.replyTo().tell(new Msg(ask.header(), 0, ask.payload()));
                    if (ask.header() == Header.STOP) {
                        outcome.complete();
                    }
                    return Behaviors.same();
                })
                .build();
    }
}
