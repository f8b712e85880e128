package io.millrace.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;

import static io.millrace.shm.RegionException.Reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RegionTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private static final Duration SHORT = Duration.ofMillis(50);

    private RegionSpec spec(String name) {
        return RegionSpec.named(name).spscRing("s", 4096).mpscRing("m", 8192).atomicLong("count").atomicInt("flag")
                .build();
    }

    @Test
    void shouldFindEveryStructureByNameWhenAttaching() {
        try (SharedRegion created = shm.directory().create(spec("r"));
             SharedRegion attached = shm.directory().attach("r", Duration.ofSeconds(1))) {
            assertThat(attached.structures()).isEqualTo(created.structures());
            assertThat(attached.ring("s").capacity()).isEqualTo(4096);
            assertThat(attached.ring("m").capacity()).isEqualTo(8192);
            created.atomicLong("count").addAndGet(41);
            assertThat(attached.atomicLong("count").incrementAndGet()).isEqualTo(42);
            assertThat(attached.participantList()).hasSize(2).allMatch(ParticipantInfo::alive);
            created.unlink();
        }
    }

    @Test
    void shouldShareAZeroedBlockBetweenProcessesAttached() {
        RegionSpec spec = RegionSpec.named("blk").block("table", 1000).atomicLong("after").build();
        try (SharedRegion created = shm.directory().create(spec);
             SharedRegion attached = shm.directory().attach("blk", Duration.ofSeconds(1))) {
            java.lang.foreign.MemorySegment block = created.block("table");
            assertThat(block.byteSize()).isEqualTo(1000);
            assertThat(block.address() % 128).isZero();
            assertThat(attached.block("table").toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).containsOnly(0);
            block.set(java.lang.foreign.ValueLayout.JAVA_LONG, 992, -1L);
            assertThat(attached.block("table").get(java.lang.foreign.ValueLayout.JAVA_LONG, 992)).isEqualTo(-1L);
            assertThat(attached.atomicLong("after").get()).isZero(); // the block's end does not overlap the next
            assertThatThrownBy(() -> attached.block("after")).isInstanceOf(RegionException.class)
                    .hasMessageContaining("not a block");
            assertThatThrownBy(() -> RegionSpec.named("x").block("b", 0)).hasMessageContaining("bytes=0");
            created.unlink();
        }
    }

    @Test
    void shouldCreateOrAttachWhicheverComesFirst() {
        RegionSpec spec = RegionSpec.named("shared").atomicLong("n").build();
        try (SharedRegion first = shm.directory().createOrAttach(spec, Duration.ofSeconds(1));
             SharedRegion second = shm.directory().createOrAttach(spec, Duration.ofSeconds(1))) {
            first.atomicLong("n").incrementAndGet();
            assertThat(second.atomicLong("n").get()).isEqualTo(1);
            assertThat(second.participantList()).hasSize(2);
            first.unlink();
        }
    }

    @Test
    void shouldCreateFilesOwnerOnlyInOwnerOnlyDirectory() throws IOException {
        try (SharedRegion region = shm.directory().create(spec("perm"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(region.path())))
                    .isEqualTo("rw-------");
            assertThat(region.path().getFileName().toString()).isEqualTo("perm.region");
            region.unlink();
        }
        Path fresh = shm.path().resolve("nested");
        ShmDirectory.at(fresh);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");
        Files.delete(fresh);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a\\b", "..", "x..y", ".hidden", "sp ace", "semi;colon"})
    void shouldRejectInvalidRegionNames(String name) {
        assertThatThrownBy(() -> RegionSpec.named(name))
                .isInstanceOfSatisfying(RegionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_NAME))
                .hasMessageContaining("invalid region name");
        assertThatThrownBy(() -> shm.directory().attach(name, Duration.ZERO)).isInstanceOf(RegionException.class);
    }

    @Test
    void shouldRejectTooLongNamesNamingTheLimit() {
        assertThatThrownBy(() -> RegionSpec.named("x".repeat(101)))
                .hasMessageContaining("101 characters long, more than the 100 allowed");
        assertThatThrownBy(() -> RegionSpec.named("ok").atomicLong("y".repeat(40)))
                .hasMessageContaining("invalid structure name");
    }

    @Test
    void shouldRejectBadSpecs() {
        assertThatThrownBy(() -> RegionSpec.named("r").spscRing("a", 3000)).hasMessageContaining("capacity=3000");
        assertThatThrownBy(() -> RegionSpec.named("r").mpscRing("a", 512)).hasMessageContaining("capacity=512");
        assertThatThrownBy(() -> RegionSpec.named("r").atomicLong("a").atomicInt("a"))
                .hasMessageContaining("already has a structure named 'a'");
        assertThatThrownBy(() -> RegionSpec.named("r").participants(65)).hasMessageContaining("participants=65");
    }

    @Test
    void shouldRefuseToCreateARegionThatExists() {
        try (SharedRegion region = shm.directory().create(spec("twice"))) {
            assertThatThrownBy(() -> shm.directory().create(spec("twice")))
                    .isInstanceOfSatisfying(RegionException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS))
                    .hasMessageContaining("already exists");
            region.unlink();
        }
    }

    @Test
    void shouldReportMissingRegionAfterWaitingForIt() {
        assertThatThrownBy(() -> shm.directory().attach("ghost", SHORT))
                .isInstanceOfSatisfying(RegionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING))
                .hasMessageContaining("no region 'ghost'");
    }

    @Test
    void shouldAttachToARegionCreatedWhileWaiting() throws Exception {
        Thread creator = Thread.ofPlatform().start(() -> {
            try (SharedRegion ignored = shm.directory().create(spec("late"))) {
                // attacher below maps it while this one keeps it open
                ignoredWait();
            }
        });
        try (SharedRegion attached = shm.directory().attach("late", Duration.ofSeconds(10))) {
            assertThat(attached.ring("m")).isNotNull();
        } finally {
            LATE_DONE.countDown();
            creator.join();
            shm.directory().unlink("late");
        }
    }

    private static final java.util.concurrent.CountDownLatch LATE_DONE = new java.util.concurrent.CountDownLatch(1);

    private static void ignoredWait() {
        try {
            LATE_DONE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldRejectForeignFile() throws IOException {
        Path file = writeFile("foreign.region", "this is not a region, it is some text file ".repeat(20).getBytes());
        assertThatThrownBy(() -> shm.directory().attach("foreign", SHORT))
                .isInstanceOfSatisfying(RegionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.FOREIGN_FILE))
                .hasMessageContaining("is not a Millrace region").hasMessageContaining("magic=0x");
        Files.delete(file);
    }

    @Test
    void shouldNameBothVersionsOnLayoutMismatch() throws IOException {
        Path file;
        try (SharedRegion region = shm.directory().create(spec("old"))) {
            file = region.path();
        }
        patchInt(file, RegionDescriptor.LAYOUT_VERSION_OFFSET, 99);
        assertThatThrownBy(() -> shm.directory().attach("old", SHORT))
                .isInstanceOfSatisfying(RegionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.VERSION_MISMATCH))
                .hasMessageContaining("expected=" + RegionDescriptor.LAYOUT_VERSION + " found=99");
        Files.delete(file);
    }

    @Test
    void shouldRejectTruncatedRegion() throws IOException {
        Path file;
        try (SharedRegion region = shm.directory().create(spec("cut"))) {
            file = region.path();
        }
        long size = Files.size(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size / 2);
        }
        assertThatThrownBy(() -> shm.directory().attach("cut", SHORT))
                .isInstanceOfSatisfying(RegionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRUNCATED))
                .hasMessageContaining("has " + size / 2 + " bytes, its header records " + size);
        Files.delete(file);
    }

    @Test
    void shouldRejectFileSmallerThanAHeader() throws IOException {
        Path file = writeFile("tiny.region", new byte[10]);
        assertThatThrownBy(() -> shm.directory().attach("tiny", SHORT))
                .isInstanceOfSatisfying(RegionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_SMALL))
                .hasMessageContaining("has 10 bytes");
        Files.delete(file);
    }

    @Test
    void shouldTimeOutWhenCreatorNeverMarksRegionReady() throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        header.putLong(0, RegionDescriptor.MAGIC); // magic written, version (ready) never
        Path file = writeFile("stuck.region", header.array());
        assertThatThrownBy(() -> shm.directory().attach("stuck", SHORT))
                .isInstanceOfSatisfying(RegionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ATTACH_TIMEOUT))
                .hasMessageContaining("is not marked ready (waited PT0.05S");
        Files.delete(file);
    }

    @Test
    void shouldRejectFileOpenToGroupOrOthers() throws IOException {
        Path file;
        try (SharedRegion region = shm.directory().create(spec("open"))) {
            file = region.path();
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> shm.directory().attach("open", SHORT))
                .isInstanceOfSatisfying(RegionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSIONS))
                .hasMessageContaining("open to group or others (rw-r--r--)");
        Files.delete(file);
    }

    @Test
    void shouldTakeItsOwnFilesByUidWhateverItsUserNameSays() {
        try (SharedRegion created = shm.directory().create(spec("mine"))) {
            String userName = System.getProperty("user.name");
            // as a uid without a passwd entry: the name this process goes by is not the name of the file's owner
            System.setProperty("user.name", "no-such-user-" + ProcessHandle.current().pid());
            try (SharedRegion attached = shm.directory().attach("mine", SHORT)) {
                assertThat(attached.participantList()).hasSize(2);
            } finally {
                System.setProperty("user.name", userName);
            }
        }
        shm.directory().unlink("mine");
    }

    @Test
    void shouldNotLetCleanRemoveARegionItsCreatorIsStillMaking() {
        java.util.List<CleanDecision> during = new java.util.ArrayList<>();
        ShmDirectory.beforeReady = () -> during.addAll(shm.directory().clean());
        try (SharedRegion created = shm.directory().create(spec("fresh"))) {
            assertThat(during).singleElement().satisfies(decision -> assertThat(decision.remove()).isFalse());
            assertThat(shm.directory().exists("fresh")).isTrue();
        } finally {
            ShmDirectory.beforeReady = () -> { };
        }
        shm.directory().unlink("fresh");
    }

    @Test
    void shouldRejectFileOfAnotherUser() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give a file away");
        Path file;
        try (SharedRegion region = shm.directory().create(spec("theirs"))) {
            file = region.path();
        }
        UserPrincipal nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(file, nobody);
        assertThatThrownBy(() -> shm.directory().attach("theirs", SHORT))
                .isInstanceOfSatisfying(RegionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSIONS))
                .hasMessageContaining("belongs to user 'nobody'");
        Files.delete(file);
    }

    @Test
    void shouldRejectBaseDirectoryOpenToOthers() throws IOException {
        Path open = Files.createDirectory(shm.path().resolve("open-dir"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> ShmDirectory.at(open))
                .isInstanceOfSatisfying(RegionException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSIONS))
                .hasMessageContaining("chmod 700");
        Files.delete(open);
    }

    @Test
    void shouldNameWhatTheRegionHasWhenAStructureIsMissing() {
        try (SharedRegion region = shm.directory().create(spec("lookup"))) {
            assertThatThrownBy(() -> region.ring("nope"))
                    .isInstanceOfSatisfying(RegionException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_STRUCTURE))
                    .hasMessageContaining("no ring named 'nope'").hasMessageContaining("[s, m, count, flag]");
            assertThatThrownBy(() -> region.atomicLong("s")).hasMessageContaining("is a SPSC_RING, not a atomic long");
            assertThatThrownBy(() -> region.atomicInt("count")).hasMessageContaining("not a atomic int");
            assertThat(region.ring("m")).isSameAs(region.ring("m"));
            region.unlink();
        }
    }

    @Test
    void shouldReleaseParticipantSlotAndRefuseUseAfterClose() {
        SharedRegion first = shm.directory().create(spec("closing"));
        try (SharedRegion second = shm.directory().attach("closing", SHORT)) {
            Ring ring = first.ring("m");
            first.close();
            first.close(); // idempotent
            assertThat(second.participantList()).hasSize(1);
            assertThatThrownBy(() -> first.ring("m")).isInstanceOf(ShmException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> ring.receive((t, b, o, l) -> { }, 1, Duration.ofSeconds(1)))
                    .isInstanceOf(ShmException.class).hasMessageContaining("region 'closing' is closed");
            assertThatThrownBy(() -> ring.offer(1, new byte[1], 0, 1))
                    .isInstanceOf(ShmException.class).hasMessageContaining("region 'closing' is closed");
            second.unlink();
        }
    }

    @Test
    void shouldListInspectAndUnlinkRegions() {
        try (SharedRegion a = shm.directory().create(spec("a")); SharedRegion b = shm.directory().create(spec("b"))) {
            assertThat(shm.directory().list()).containsExactly("a", "b");
            a.atomicLong("count").set(7);
            RegionSnapshot snapshot = shm.directory().inspect("a");
            assertThat(snapshot.atomics()).containsEntry("count", 7L).containsEntry("flag", 0L);
            assertThat(snapshot.rings()).extracting(RingStats::name).containsExactly("s", "m");
            assertThat(snapshot.participants()).singleElement().satisfies(p -> {
                assertThat(p.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(p.alive()).isTrue();
            });
            assertThat(shm.directory().clean()).extracting(CleanDecision::remove).containsOnly(false); // in use here
            assertThat(shm.directory().unlink("a")).isTrue();
            assertThat(shm.directory().unlink("a")).isFalse();
            b.unlink();
        }
        assertThat(shm.directory().list()).isEmpty();
    }

    @Test
    void shouldCopyABlockReadOnlyAndNameAStructureThatIsNoBlock() {
        try (SharedRegion region = shm.directory().create(RegionSpec.named("blocks").block("info", 16)
                .atomicLong("count").build())) {
            region.block("info").set(java.lang.foreign.ValueLayout.JAVA_BYTE, 3, (byte) 42);
            byte[] copy = shm.directory().inspectBlock("blocks", "info");
            assertThat(copy).hasSize(16);
            assertThat(copy[3]).isEqualTo((byte) 42);
            copy[3] = 0;
            assertThat(region.block("info").get(java.lang.foreign.ValueLayout.JAVA_BYTE, 3)).as("a copy")
                    .isEqualTo((byte) 42);
            assertThatThrownBy(() -> shm.directory().inspectBlock("blocks", "count"))
                    .isInstanceOf(RegionException.class).hasMessageContaining("has no block 'count'")
                    .extracting(e -> ((RegionException) e).reason()).isEqualTo(RegionException.Reason.NO_SUCH_STRUCTURE);
            assertThatThrownBy(() -> shm.directory().inspectBlock("nothing", "info"))
                    .isInstanceOf(RegionException.class)
                    .extracting(e -> ((RegionException) e).reason()).isEqualTo(RegionException.Reason.MISSING);
            region.unlink();
        }
    }

    /**
     * A creator killed between creating its file (O_EXCL) and writing the header leaves an empty file: kept while it
     * may be a creator's at work, removed once it stayed empty for the grace; a short file that is not empty is
     * never called ours.
     */
    @Test
    void shouldCleanAnEmptyRegionFileOnlyOnceItStayedEmptyForTheGrace() throws IOException {
        Path stale = writeFile("stale.region", new byte[0]);
        Path fresh = writeFile("fresh.region", new byte[0]);
        Path shortFile = writeFile("short.region", new byte[] {1, 2, 3});
        long old = System.currentTimeMillis() - ShmDirectory.EMPTY_FILE_GRACE.toMillis() - 1_000;
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(old));
        Files.setLastModifiedTime(shortFile, java.nio.file.attribute.FileTime.fromMillis(old));
        assertThat(shm.directory().cleanPlan()).extracting(CleanDecision::name, CleanDecision::remove)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fresh", false),
                        org.assertj.core.groups.Tuple.tuple("short", false),
                        org.assertj.core.groups.Tuple.tuple("stale", true));
        assertThatThrownBy(() -> shm.directory().attach("stale", Duration.ZERO)).isInstanceOf(RegionException.class)
                .hasMessageContaining("`millrace clean` removes it once empty for 30 s");
        shm.directory().clean();
        assertThat(stale).doesNotExist();
        Files.delete(fresh);
        Files.delete(shortFile);
    }

    @Test
    void shouldCleanRegionsNobodyUsesAndLeaveForeignFiles() throws IOException {
        try (SharedRegion ignored = shm.directory().create(spec("abandoned"))) {
            // created and closed: no participant remains
        }
        Path foreign = writeFile("foreign.region", "not a region at all, but a text file".repeat(10).getBytes());
        try (SharedRegion used = shm.directory().create(spec("used"))) {
            assertThat(shm.directory().cleanPlan()).containsExactly(
                    new CleanDecision("abandoned", true, "no process attached"),
                    new CleanDecision("foreign", false, "not a readable Millrace region (FOREIGN_FILE), left alone: "
                            + foreign + " is not a Millrace region: magic=0x6572206120746f6e, expected=0x"
                            + Long.toHexString(RegionDescriptor.MAGIC)),
                    new CleanDecision("used", false, "in use by live pid " + ProcessHandle.current().pid()));
            assertThat(shm.directory().clean()).filteredOn(CleanDecision::remove).extracting(CleanDecision::name)
                    .containsExactly("abandoned");
            assertThat(shm.directory().list()).containsExactly("foreign", "used");
            used.unlink();
        }
        Files.delete(foreign);
    }

    private Path writeFile(String name, byte[] content) throws IOException {
        Path file = shm.path().resolve(name);
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static void patchInt(Path file, long offset, int value) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value);
            channel.write(buffer, offset);
        }
    }
}
