package io.millrace.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import io.millrace.shm.RegionFiles;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code millrace clean}: removes regions whose processes are all dead, and nothing else. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CleanCommandTest {
    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();
    private Process holder;

    /** Reaps the holder process; runs before the extension checks that no file is left. */
    @AfterEach
    void reapHolder() throws InterruptedException {
        if (holder != null && holder.isAlive()) {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldRemoveOnlyTheRegionOfAKilledProcess() throws Exception {
        ShmDirectory directory = ShmDirectory.at(dir.path());
        holder = RegionHolder.start(dir.path(), "orphan");
        long holderPid = holder.pid();
        holder.destroyForcibly();
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).as("killed holder exited").isTrue();
        StatCommandTest.writeForeignFile(dir.path().resolve("junk.region"), "not a region".repeat(20));
        String me = Long.toString(ProcessHandle.current().pid());
        try (SharedRegion live = directory.create(RegionSpec.named("live").mpscRing("inbox", 1 << 16).build())) {
            try {
                Cli.Result dryRun = Cli.run("clean", "--dry-run", "--dir", dir.path().toString());

                assertThat(dryRun.exitCode()).as("stderr: %s", dryRun.err()).isZero();
                assertThat(dryRun.out())
                        .contains("Looked in " + dir.path() + ": 3 regions (dry run: nothing is removed)")
                        .contains("would remove orphan: no live process; pid " + holderPid + " dead")
                        .contains("keep live: in use by live pid " + me)
                        .contains("keep junk: not a readable Millrace region (FOREIGN_FILE)")
                        .contains("Would remove 1 of 3 regions.");
                assertThat(dir.files()).containsExactly("junk.region", "live.region", "orphan.region");

                Cli.Result clean = Cli.run("clean", "--dir", dir.path().toString());

                assertThat(clean.exitCode()).as("stderr: %s", clean.err()).isZero();
                assertThat(clean.out())
                        .contains("Looked in " + dir.path() + ": 3 regions")
                        .contains("removed orphan: no live process; pid " + holderPid + " dead")
                        .contains("keep live: in use by live pid " + me)
                        .contains("Removed 1 of 3 regions.");
                assertThat(dir.files()).containsExactly("junk.region", "live.region");

                Cli.Result again = Cli.run("clean", "--dir", dir.path().toString());
                assertThat(again.out()).contains("Removed none of 2 regions.");
            } finally {
                live.unlink();
            }
        } finally {
            Files.delete(dir.path().resolve("junk.region"));
        }
    }

    @Test
    void shouldRemoveARegionThatEveryProcessDetachedFrom() throws Exception {
        holder = RegionHolder.start(dir.path(), "left");
        holder.getOutputStream().close(); // the holder closes the region (detaches) and exits normally
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).as("holder exited").isTrue();
        assertThat(holder.exitValue()).isZero();

        Cli.Result result = Cli.run("clean", "--dir", dir.path().toString());

        assertThat(result.out()).contains("removed left: no process attached").contains("Removed 1 of 1 region.");
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldRemoveARegionWhoseCreatorDiedBeforeMarkingItReady() throws IOException {
        // A region header as a creator leaves it when it dies while laying out the region: the magic "MILLRACE"
        // at offset 0, layout version 0 (not ready), creator pid 0 (no such process).
        byte[] header = new byte[128];
        System.arraycopy("MILLRACE".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, header, 0, 8);
        Files.write(dir.path().resolve("half.region"), header);
        Files.setPosixFilePermissions(dir.path().resolve("half.region"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        Cli.Result dryRun = Cli.run("clean", "--dry-run", "--dir", dir.path().toString());
        assertThat(dryRun.out()).contains("would remove half: not marked ready; its creator pid 0 is dead");
        assertThat(dir.files()).containsExactly("half.region");

        Cli.Result clean = Cli.run("clean", "--dir", dir.path().toString());
        assertThat(clean.out()).contains("removed half: not marked ready; its creator pid 0 is dead");
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldCleanTheOtherRegionsAndLeaveACorruptOneSayingWhy() throws IOException {
        ShmDirectory directory = ShmDirectory.at(dir.path());
        RegionFiles.createCorrupt(directory, "broken");
        directory.create(RegionSpec.named("abandoned").atomicLong("a").build()).close();

        Cli.Result clean = Cli.run("clean", "--dir", dir.path().toString());

        assertThat(clean.exitCode()).as("stderr: %s", clean.err()).isZero();
        assertThat(clean.out())
                .contains("keep broken: not a readable Millrace region (CORRUPT), left alone: region 'broken' is"
                        + " corrupt: regionSize=")
                .contains("directoryCount=100000")
                .contains("removed abandoned: no process attached")
                .contains("Removed 1 of 2 regions.");
        assertThat(dir.files()).containsExactly("broken.region");
        Files.delete(dir.path().resolve("broken.region"));
    }

    @Test
    void shouldSayWhereItLookedWhenThereIsNothing() {
        assertThat(Cli.run("clean", "--dir", dir.path().toString()).out())
                .isEqualTo("No regions in " + dir.path() + ": nothing to remove.\n");
        assertThat(Cli.run("clean", "--dir", dir.path().resolve("missing").toString()).out())
                .isEqualTo("Nothing to clean: " + dir.path().resolve("missing") + " does not exist.\n");
    }
}
