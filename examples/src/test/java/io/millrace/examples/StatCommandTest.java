package io.millrace.examples;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Behaviors;
import io.millrace.shm.OfferStatus;
import io.millrace.shm.RegionFiles;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import io.millrace.state.EntryCodec;
import io.millrace.state.SharedMap;
import io.millrace.state.Transactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code millrace stat}: what it shows of regions, of files that are not regions, and of nothing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StatCommandTest {
    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldShowTheTransactionStatsOfASharedMap() {
        ShmDirectory directory = ShmDirectory.at(dir.path());
        try (SharedMap<byte[], byte[]> map = SharedMap.create(directory, "accounts", new SharedMap.Capacity(16, 4, 4),
                EntryCodec.bytes(), EntryCodec.bytes())) {
            try {
                for (int i = 0; i < 3; i++) {
                    Transactions.atomic(map, tx -> tx.put(new byte[] {1}, new byte[] {2}));
                }

                Cli.Result result = Cli.run("stat", "--dir", dir.path().toString());

                assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
                assertThat(result.out())
                        .containsPattern("transaction site +commits +aborts +retried +time lost")
                        .containsPattern("StatCommandTest.shouldShowTheTransactionStatsOfASharedMap:\\d+ +3 +0 +0 +0 ms");
            } finally {
                map.unlink();
            }
        }
    }

    /** A transaction over two maps is counted in the directory's log region, which stat shows as any other. */
    @Test
    void shouldShowMixedTransactionSitesFromTheLog() {
        ShmDirectory directory = ShmDirectory.at(dir.path());
        SharedMap.Capacity capacity = new SharedMap.Capacity(16, 4, 4);
        try (SharedMap<byte[], byte[]> from = SharedMap.create(directory, "from", capacity, EntryCodec.bytes(),
                EntryCodec.bytes());
             SharedMap<byte[], byte[]> to = SharedMap.create(directory, "to", capacity, EntryCodec.bytes(),
                     EntryCodec.bytes())) {
            try {
                for (int i = 0; i < 2; i++) {
                    Transactions.atomic(tx -> {
                        tx.on(from).put(new byte[] {1}, new byte[] {(byte) 0});
                        tx.on(to).put(new byte[] {1}, new byte[] {(byte) 1});
                    });
                }

                Cli.Result result = Cli.run("stat", "--dir", dir.path().toString());

                assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
                String log = result.out().substring(result.out().indexOf("millrace-transactions"));
                assertThat(log).containsPattern("transaction site +commits +aborts +retried +time lost")
                        .containsPattern("StatCommandTest.shouldShowMixedTransactionSitesFromTheLog:\\d+"
                                + " +2 +0 +0 +0 ms");
            } finally {
                from.unlink();
                to.unlink();
                assertThat(Transactions.closeLog(directory)).isTrue();
            }
        }
    }

    @Test
    void shouldShowRingsAtomicsAndParticipantsOfARegion() {
        ShmDirectory directory = ShmDirectory.at(dir.path());
        try (SharedRegion region = directory.create(RegionSpec.named("orders").mpscRing("inbox", 1 << 16)
                .atomicLong("answer").build())) {
            try {
                for (int i = 0; i < 3; i++) {
                    // 100 bytes + 8-byte header, aligned to 112: the tail ends at 336
                    assertThat(region.ring("inbox").offer(1, MemorySegment.ofArray(new byte[100])))
                            .isEqualTo(OfferStatus.ACCEPTED);
                }
                region.atomicLong("answer").set(1_234_567);

                Cli.Result result = Cli.run("stat", "--dir", dir.path().toString());

                assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
                String pid = Long.toString(ProcessHandle.current().pid());
                assertThat(result.out())
                        .contains("1 region in " + dir.path())
                        .containsPattern("orders  [\\d.,]+ KiB, created .* by pid " + pid + " \\(alive\\), layout v\\d+")
                        .containsPattern("ring +kind +capacity +head +tail +lag \\(bytes\\) +skipped +sleepers"
                                + " +consumer +producers")
                        .containsPattern("inbox +MPSC +65,536 +0 +336 +336 +0 +0 +- +" + pid)
                        .containsPattern("answer +1,234,567")
                        .containsPattern("pid +alive +heartbeat age")
                        .containsPattern(pid + " +yes +[\\d,]+ ms");
            } finally {
                region.unlink();
            }
        }
    }

    @Test
    void shouldShowAnActorNodesStateCountersAndLanes() throws InterruptedException {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "stat-node", ActorSystemConfig.defaults()
                .withDispatcherThreads(2).withBaseDirectory(dir.path()));
        try {
            CountDownLatch deadLetter = new CountDownLatch(1);
            system.deadLetters().subscribe(letter -> deadLetter.countDown());
            system.systemActorOf(Behaviors.<String>setup(context -> {
                ActorRef<String> shortLived = context.spawn(Behaviors.<String>stopped(), "short-lived");
                context.watch(shortLived);
                return Behaviors.receive((ctx, m) -> Behaviors.same(), (ctx, signal) -> {
                    shortLived.tell("too late"); // it has stopped: a dead letter
                    return Behaviors.same();
                });
            }), "lasting");
            assertThat(deadLetter.await(10, TimeUnit.SECONDS)).isTrue();

            Cli.Result result = Cli.run("stat", "--dir", dir.path().toString(), "--region", "node-*");

            assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
            String pid = Long.toString(ProcessHandle.current().pid());
            assertThat(result.out())
                    .containsPattern("node-%016x  .* by pid %s \\(alive\\)".formatted(system.nodeId(), pid))
                    .containsPattern("lane-0 +MPSC ").containsPattern("lane-1 +MPSC ")
                    .containsPattern("node +state +pid +alive +uptime +actors +dead letters +decode errors"
                            + " +child restarts +parent")
                    // the two roots, the receptionist and "lasting"
                    .containsPattern("stat-node +running +" + pid + " +yes +[\\d.,]+ s +4 +[1-9][\\d,]* +0 +0 +-");
        } finally {
            system.close();
        }
    }

    @Test
    void shouldListAFileThatIsNotARegionWithTheReasonAndGoOn() throws IOException {
        writeForeignFile(dir.path().resolve("junk.region"), "not a region, just text".repeat(10));
        writeForeignFile(dir.path().resolve("stub.region"), "tiny");
        ShmDirectory directory = ShmDirectory.at(dir.path());
        try (SharedRegion region = directory.create(RegionSpec.named("real").atomicInt("flag").build())) {
            try {
                Cli.Result result = Cli.run("stat", "--dir", dir.path().toString());

                assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
                assertThat(result.out())
                        .contains("3 regions in " + dir.path())
                        .contains("junk  unreadable (FOREIGN_FILE): ")
                        .contains("is not a Millrace region")
                        .contains("stub  unreadable (TOO_SMALL): ")
                        .containsPattern("real  .* layout v\\d+")
                        .containsPattern("flag +0");
            } finally {
                region.unlink();
            }
        } finally {
            Files.delete(dir.path().resolve("junk.region"));
            Files.delete(dir.path().resolve("stub.region"));
        }
    }

    @Test
    void shouldListACorruptRegionWithItsReasonBesideTheGoodOnes() throws IOException {
        ShmDirectory directory = ShmDirectory.at(dir.path());
        RegionFiles.createCorrupt(directory, "broken");
        try (SharedRegion region = directory.create(RegionSpec.named("sound").atomicLong("n").build())) {
            try {
                Cli.Result result = Cli.run("stat", "--dir", dir.path().toString());

                assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
                assertThat(result.out())
                        .contains("2 regions in " + dir.path())
                        .contains("broken  unreadable (CORRUPT): region 'broken' is corrupt: ")
                        .contains("directoryCount=100000")
                        .containsPattern("sound  .* layout v\\d+")
                        .containsPattern("n +0");
            } finally {
                region.unlink();
            }
        } finally {
            Files.delete(dir.path().resolve("broken.region"));
        }
    }

    @Test
    void shouldShowOnlyTheRegionsThatMatchTheFilter() {
        ShmDirectory directory = ShmDirectory.at(dir.path());
        try (SharedRegion first = directory.create(RegionSpec.named("demo-1").atomicLong("a").build());
             SharedRegion second = directory.create(RegionSpec.named("other").atomicLong("b").build())) {
            try {
                Cli.Result result = Cli.run("stat", "--dir", dir.path().toString(), "--region", "demo-*");

                assertThat(result.out()).contains("1 region in " + dir.path() + " matching 'demo-*'")
                        .contains("demo-1  ").doesNotContain("other");
                assertThat(Cli.run("stat", "--dir", dir.path().toString(), "--region", "nope").out())
                        .isEqualTo("No regions in " + dir.path() + " matching 'nope'.\n");
            } finally {
                first.unlink();
                second.unlink();
            }
        }
    }

    @Test
    void shouldSayWhereItLookedWhenThereAreNoRegions() {
        Cli.Result result = Cli.run("stat", "--dir", dir.path().toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No regions in " + dir.path() + ".\n");
    }

    @Test
    void shouldNotCreateAMissingDirectory() {
        Path missing = dir.path().resolve("missing");

        Cli.Result result = Cli.run("stat", "--dir", missing.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("No regions: " + missing + " does not exist.\n");
        assertThat(missing).doesNotExist();
    }

    @Test
    void shouldRedrawEveryIntervalWhenWatchingUntilStopped() throws Exception {
        FrameCounter out = new FrameCounter(3);
        AtomicReference<Cli.Result> result = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().start(() -> result.set(Cli.run(out, "stat", "--watch",
                "--interval=10", "--dir", dir.path().toString())));

        out.frames.await(); // three frames drawn
        watcher.interrupt();
        watcher.join();

        assertThat(result.get().exitCode()).isZero();
        assertThat(result.get().out()).startsWith("\033[2J\033[Hmillrace stat, every 10 ms; Ctrl-C to stop.")
                .contains("No regions in " + dir.path() + ".\033[K\n\033[J\033[Hmillrace stat");
    }

    /** Counts the frames that {@code stat --watch} draws: each ends with "clear to the end of the screen". */
    private static final class FrameCounter extends StringWriter {
        final CountDownLatch frames;

        FrameCounter(int frames) {
            this.frames = new CountDownLatch(frames);
        }

        @Override
        public void write(String text, int offset, int length) {
            super.write(text, offset, length);
            if (text.substring(offset, offset + length).contains("\033[J")) {
                frames.countDown();
            }
        }
    }

    static void writeForeignFile(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
