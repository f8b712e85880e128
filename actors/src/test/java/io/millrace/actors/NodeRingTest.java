package io.millrace.actors;

import io.millrace.actors.remote.NodeRegion;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A system's node region as its lanes see it: their rings in shared memory, here damaged on purpose. */
class NodeRingTest extends ActorTestKit {

    private static long laneCpuNanos(ActorSystem<?> system) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("millrace-" + system.name() + "-lane-")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.threadId()));
            }
        }
        return total;
    }

    @Test
    void shouldKeepALaneWorkingAndSleepingWhenItsRingHeadersAreCorrupt() throws Exception {
        ActorSystem<Integer> system = system(Behaviors.<Integer>receive((ctx, n) -> Behaviors.same()),
                smallConfig().withDispatcherThreads(1));
        TestProbe<String> probe = TestProbe.create(system);
        ActorRef<String> echo = system.systemActorOf(Behaviors.<String>receiveMessage(m -> {
            probe.ref().tell("echo " + m);
            return Behaviors.same();
        }), "echo");
        echo.tell("before");
        assertThat(probe.expectMessage()).isEqualTo("echo before");
        try (NodeRegion region = NodeRegion.attach(shm.directory(), system.nodeId(), Duration.ofSeconds(5))) {
            MemorySegment buffer = region.lane(0).buffer();
            // a committed-looking header of type 1, 100 bytes, where no producer has claimed anything
            buffer.set(ValueLayout.JAVA_LONG, 0, 1L << 32 | 100);
            system.tell(1); // any tell wakes the lane, which then polls the ring and meets the header
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (region.decodeErrors() == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            long counted = region.decodeErrors();
            assertThat(counted).isBetween(1L, 2L); // found by a poll, or by the wait and then the poll
            echo.tell("after");
            assertThat(probe.expectMessage()).isEqualTo("echo after");
            long before = laneCpuNanos(system);
            Thread.sleep(500);
            // a lane that slept on the futex of a ring that says "data" for ever would spin: some 500 ms of CPU
            assertThat(laneCpuNanos(system) - before).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(region.decodeErrors()).as("counted once or twice, not once per look").isBetween(1L, 2L);
        }
    }

    @Test
    void shouldSleepWhenIdle() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<String> probe = TestProbe.create(system);
        probe.ref().tell("started");
        assertThat(probe.expectMessage()).isEqualTo("started");
        long before = laneCpuNanos(system);
        Thread.sleep(500);
        // two lanes asleep on their rings' futexes; a spinning lane would take about 500 ms of CPU
        assertThat(laneCpuNanos(system) - before).isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
    }
}
