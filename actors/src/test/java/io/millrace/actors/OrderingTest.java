package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OrderingTest extends ActorTestKit {

    private static final int SENDERS = 4;
    private static final int PER_SENDER = 20_000;
    private static final int CHUNK = 50;

    record Numbered(int sender, int seq) {
    }

    /** Checks that each sender's numbers arrive in order, with none lost; reports once all arrived. */
    private static Behavior<Numbered> checker(CompletableFuture<String> result, int senders, int perSender) {
        return Behaviors.setup(context -> {
            int[] next = new int[senders];
            int[] done = {0};
            return Behaviors.receiveMessage(m -> {
                if (m.seq() != next[m.sender()]) {
                    result.complete("sender " + m.sender() + " expected " + next[m.sender()] + " got " + m.seq());
                    return Behaviors.stopped();
                }
                next[m.sender()]++;
                if (next[m.sender()] == perSender && ++done[0] == senders) {
                    result.complete("ok");
                }
                return Behaviors.same();
            });
        });
    }

    @Test
    void shouldKeepPerSenderOrderFromSeveralThreads() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(), smallConfig().withMailboxCapacity(256));
        CompletableFuture<String> result = new CompletableFuture<>();
        ActorRef<Numbered> checker = system.systemActorOf(checker(result, SENDERS, PER_SENDER), "checker");
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            threads.add(Thread.ofPlatform().name("sender-" + s).start(() -> {
                for (int i = 0; i < PER_SENDER; i++) {
                    checker.tell(new Numbered(sender, i));
                }
            }));
        }
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
        for (Thread t : threads) {
            t.join();
        }
        assertThat(system.deadLetters().count()).isZero();
    }

    @Test
    void shouldKeepPerSenderOrderBetweenActorsOnTheSameAndOtherLanes() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(), smallConfig().withMailboxCapacity(256));
        CompletableFuture<String> result = new CompletableFuture<>();
        ActorRef<Numbered> checker = system.systemActorOf(checker(result, SENDERS, PER_SENDER), "checker");
        List<ActorRef<Integer>> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            // consecutive uids alternate lanes, so some senders share the checker's lane and some do not. A handler
            // sends a chunk smaller than the lane's capacity (a same-lane tell cannot wait for room), then tells
            // itself to send the next one.
            senders.add(system.systemActorOf(Behaviors.setup(context -> Behaviors.receiveMessage(from -> {
                int to = Math.min(from + CHUNK, PER_SENDER);
                for (int i = from; i < to; i++) {
                    checker.tell(new Numbered(sender, i));
                }
                if (to < PER_SENDER) {
                    context.getSelf().tell(to);
                }
                return Behaviors.same();
            })), "sender-" + s));
        }
        senders.forEach(s -> s.tell(0));
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(system.deadLetters().count()).isZero();
    }
}
