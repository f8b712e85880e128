package io.millrace.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ShmDirectory#isAbandonedUnready}: only a region never marked ready whose recorded creator is dead. */
class AbandonedUnreadyTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /** The header a creator leaves when it dies before marking the region ready. */
    private void unready(String name, long pid, long startTime) throws IOException {
        shm.writeUnreadyRegion(name, pid, startTime);
    }

    @Test
    void shouldTellAnUnreadyRegionOfADeadCreatorFromAllOthers() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        assertThat(dead.waitFor()).isZero();
        ProcessIdentity self = ProcessIdentity.current();
        unready("dead", dead.pid(), 1);
        unready("live", self.pid(), self.startTime());
        unready("unrecorded", 0, 0);
        unready("reused", self.pid(), self.startTime() + 1); // the pid, now another process's
        shm.directory().create(RegionSpec.named("ready").atomicLong("x").build()).close();
        try {
            assertThat(shm.directory().isAbandonedUnready("dead")).isTrue();
            assertThat(shm.directory().isAbandonedUnready("reused")).isTrue();
            assertThat(shm.directory().isAbandonedUnready("live")).as("being made now").isFalse();
            assertThat(shm.directory().isAbandonedUnready("unrecorded")).as("just created").isFalse();
            assertThat(shm.directory().isAbandonedUnready("ready")).isFalse();
            assertThat(shm.directory().isAbandonedUnready("missing")).isFalse();
        } finally {
            shm.directory().list().forEach(shm.directory()::unlink);
        }
    }
}
