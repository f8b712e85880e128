package io.millrace.actors;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ScaleTest extends ActorTestKit {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleTest.class);
    private static final int ACTORS = 10_000;
    private static final int MESSAGES = 5;

    record Add(long n, CountDownLatch replies, AtomicLong sum) {
    }

    private static Behavior<Add> summer(long total) {
        return Behaviors.receiveMessage(add -> {
            add.sum().addAndGet(add.n());
            add.replies().countDown();
            return summer(total + add.n());
        });
    }

    @Test
    void shouldRunTenThousandActorsCheaply() throws Exception {
        ActorSystem<Void> system = system();
        long heapBefore = usedHeap();
        List<ActorRef<Add>> actors = new ArrayList<>(ACTORS);
        for (int i = 0; i < ACTORS; i++) {
            actors.add(system.systemActorOf(summer(0), "summer-" + i));
        }
        long heapAfter = usedHeap();
        CountDownLatch replies = new CountDownLatch(ACTORS * MESSAGES);
        AtomicLong sum = new AtomicLong();
        for (int m = 1; m <= MESSAGES; m++) {
            for (ActorRef<Add> actor : actors) {
                actor.tell(new Add(m, replies, sum));
            }
        }
        assertThat(replies.await(60, TimeUnit.SECONDS)).as("replies outstanding=" + replies.getCount()).isTrue();
        assertThat(sum.get()).isEqualTo((long) ACTORS * MESSAGES * (MESSAGES + 1) / 2);
        // no thread per actor: the lanes and (once used) the timer thread
        assertThat(ActorTestKit.threadsOf(system)).hasSizeLessThanOrEqualTo(system.config().dispatcherThreads() + 1);
        LOG.info("{} actors: about {} bytes of heap each (rough: used heap after spawning, GC requested)", ACTORS,
                (heapAfter - heapBefore) / ACTORS);
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
