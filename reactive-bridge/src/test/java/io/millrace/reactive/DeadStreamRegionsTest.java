package io.millrace.reactive;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Streams#removeDeadRegions}: a publisher and a subscriber in child JVMs, one or both SIGKILLed. The side
 * that lives is SIGSTOPped before the other dies, so that it cannot clean up first: whatever stays is what the call
 * left; then it resumes and cleans its own as it always does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@SuppressWarnings("try") // the children are held open for the test's length
class DeadStreamRegionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private ChildJvm subscriber(String stream) throws InterruptedException {
        ChildJvm child = ChildJvm.start(List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + shm.path()),
                StreamChild.class, "import", stream);
        assertThat(child.awaitLine("GOT", WAIT)).isEqualTo("GOT 0");
        return child;
    }

    /** The regions of stream {@code name} now: its own and its subscriptions'. */
    private List<String> regionsOf(String name) {
        return shm.directory().list().stream()
                .filter(r -> r.equals("stream." + name) || r.startsWith("stream." + name + ".")).toList();
    }

    private static void signal(ChildJvm child, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %s", signal, child.pid()).isZero();
    }

    /**
     * Sends SIGSTOP and waits until every thread of the child has stopped: until the thread the kernel picked has
     * taken the signal, the others run on (and could see the other side die).
     */
    private static void stop(ChildJvm child) throws IOException, InterruptedException {
        signal(child, "STOP");
        Path tasks = Path.of("/proc", Long.toString(child.pid()), "task");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!allStopped(tasks)) {
            assertThat(System.nanoTime() - deadline).as("child %s stopped within %s", child.pid(), WAIT).isNegative();
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** True when every task under {@code tasks} is in state T (stopped); a task that ended meanwhile counts. */
    private static boolean allStopped(Path tasks) throws IOException {
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path task : all.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (stat.charAt(stat.lastIndexOf(')') + 2) != 'T') {
                    return false;
                }
            }
        }
        return true;
    }

    private void awaitGone(String region) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (shm.directory().exists(region)) {
            assertThat(System.nanoTime() - deadline).as("region %s still there after %s", region, WAIT).isNegative();
            LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void shouldRemoveTheStreamAndSubscriptionRegionsWhenBothSidesDied() throws Exception {
        try (ExportingChild publisher = ExportingChild.start(shm.directory(), "both=infinite");
             ChildJvm subscriber = subscriber("both")) {
            List<String> regions = regionsOf("both");
            assertThat(regions).as("the stream's region and one subscription's").hasSize(2)
                    .contains("stream.both");
            stop(publisher.jvm()); // neither side may see the other die and clean up
            stop(subscriber);
            publisher.jvm().kill();
            subscriber.kill();

            String plan = shm.directory().cleanPlan().toString();
            assertThat(Streams.removeDeadRegions("both", shm.directory())).as("removed; plan: %s", plan)
                    .containsExactlyInAnyOrderElementsOf(regions);
            assertThat(regionsOf("both")).isEmpty();
            assertThat(Streams.removeDeadRegions("both", shm.directory())).as("a second call").isEmpty();
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldLeaveTheRegionsOfALivePublisherWhoseSubscriberDied() throws Exception {
        try (ExportingChild publisher = ExportingChild.start(shm.directory(), "served=infinite")) {
            String subscription;
            try (ChildJvm subscriber = subscriber("served")) {
                subscription = regionsOf("served").stream().filter(r -> !r.equals("stream.served")).findFirst()
                        .orElseThrow();
                stop(publisher.jvm());
                subscriber.kill();

                String plan = shm.directory().cleanPlan().toString();
                assertThat(Streams.removeDeadRegions("served", shm.directory())).as("removed; plan: %s", plan)
                        .isEmpty();
                assertThat(regionsOf("served")).containsExactlyInAnyOrder("stream.served", subscription);
                signal(publisher.jvm(), "CONT");
            }
            awaitGone(subscription); // the publisher removes the region of the subscriber it saw die
            assertThat(Streams.flux("served", String.class, shm.directory()).take(3).collectList().block(WAIT))
                    .as("the publication still serves").containsExactly("0", "1", "2");
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldLeaveTheRegionOfALiveSubscriberWhosePublisherDied() throws Exception {
        try (ExportingChild publisher = ExportingChild.start(shm.directory(), "orphan=infinite");
             ChildJvm subscriber = subscriber("orphan")) {
            String subscription = regionsOf("orphan").stream().filter(r -> !r.equals("stream.orphan"))
                    .findFirst().orElseThrow();
            stop(subscriber);
            publisher.jvm().kill();

            String plan = shm.directory().cleanPlan().toString();
            assertThat(Streams.removeDeadRegions("orphan", shm.directory())).as("removed; plan: %s", plan)
                    .doesNotContain(subscription);
            assertThat(shm.directory().exists(subscription)).as("the live subscriber's region").isTrue();
            signal(subscriber, "CONT");
            assertThat(subscriber.awaitLine("ERROR", WAIT)).contains("died before the stream ended");
            awaitGone(subscription); // the subscriber removes its own region as it ends
            Streams.removeDeadRegions("orphan", shm.directory());
            assertThat(regionsOf("orphan")).as("plan: %s", shm.directory().cleanPlan()).isEmpty();
        }
        TestFiles.awaitNone(shm);
    }

    /**
     * The file a publisher killed laying out the region of stream {@code name} leaves
     * ({@link ShmTestDirectory#writeUnreadyRegion}), its creator a process that has exited.
     *
     * @return the creator's pid
     */
    private long halfMadeStreamRegion(String name) throws IOException, InterruptedException {
        Process dead = new ProcessBuilder("true").start();
        assertThat(dead.waitFor()).isZero();
        shm.writeUnreadyRegion(StreamDescriptor.streamRegion(name), dead.pid(), 1);
        return dead.pid();
    }

    @Test
    void shouldFailASubscriptionAtOnceWhenTheStreamsPublisherDiedMakingItsRegion() throws Exception {
        long creator = halfMadeStreamRegion("halfmade");
        StreamOptions options = StreamOptions.of(shm.directory()).withTimeout(Duration.ofMinutes(10));

        StepVerifier.create(Streams.flux("halfmade", String.class, options))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(StreamException.class)
                            .hasMessageContaining("'stream.halfmade'").hasMessageContaining("pid " + creator);
                    assertThat(((StreamException) e).reason()).isEqualTo(StreamException.Reason.PUBLISHER_DIED);
                })
                .verify(WAIT); // not the 10 min timeout: the region can only be garbage

        assertThat(Streams.removeDeadRegions("halfmade", shm.directory())).containsExactly("stream.halfmade");
        TestFiles.awaitNone(shm);
    }

    /** A publisher killed making its stream's region does not keep the name: the next publisher takes it over. */
    @Test
    void shouldPublishAgainOverTheRegionOfAPublisherThatDiedMakingIt() throws Exception {
        halfMadeStreamRegion("again");

        try (Publication p = Streams.publish("again", String.class, reactor.core.publisher.Flux.just("a", "b"),
                shm.directory())) {
            StepVerifier.create(Streams.flux("again", String.class, StreamOptions.of(shm.directory())))
                    .expectNext("a", "b").verifyComplete();
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldRefuseABadNameAndRemoveNothingOfAnUnknownStream() {
        assertThatThrownBy(() -> Streams.removeDeadRegions("../x", shm.directory()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name='../x'");
        assertThatThrownBy(() -> Streams.removeDeadRegions("x", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("directory");
        assertThat(Streams.removeDeadRegions("never-published", shm.directory())).isEmpty();
    }
}
