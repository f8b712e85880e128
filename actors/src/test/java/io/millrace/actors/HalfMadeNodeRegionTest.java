package io.millrace.actors;

import io.millrace.actors.remote.NodeRegion;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last node out removes the region of a node that was killed while it made it (a worker JVM SIGKILLed while
 * starting, as a parent's exit kills its children), and with it the shared regions: such a region, never marked
 * ready, made a live-looking node that kept {@code millrace-types} and {@code millrace-receptionist} for ever. One
 * whose creator is not recorded yet may be one being made now: it is kept.
 */
class HalfMadeNodeRegionTest extends ActorTestKit {
    private static final String HALF = "node-00000000000000ab";

    /**
     * The file {@code ShmDirectory.create} leaves when its process dies laying out a region: sized, the magic
     * written, the layout version (ready) not; the creator's pid written or not yet ({@code creatorWritten}).
     */
    private void halfMadeNodeRegion(boolean creatorWritten) throws Exception {
        long creator = 0;
        if (creatorWritten) {
            Process dead = new ProcessBuilder("true").start();
            assertThat(dead.waitFor()).isZero();
            creator = dead.pid();
        }
        shm.writeUnreadyRegion(HALF, creator, 0);
    }

    @Test
    void shouldRemoveARegionItsNodeDiedMakingAndTheSharedRegionsWhenLastOut() throws Exception {
        halfMadeNodeRegion(true);
        ActorSystem<Void> system = system();
        assertThat(shm.directory().list()).contains(HALF, "millrace-types", "millrace-receptionist");

        system.close();

        assertThat(shm.directory().list()).as("the half-made node's region and the shared regions").isEmpty();
    }

    @Test
    void shouldKeepARegionWhoseCreatorIsNotRecordedYet() throws Exception {
        // what a node that is creating its region right now shows for an instant: not garbage, a live node
        halfMadeNodeRegion(false);
        ActorSystem<Void> system = system();

        system.close();

        assertThat(shm.directory().list()).containsExactlyInAnyOrder(HALF, "millrace-types", "millrace-receptionist");
        shm.directory().list().forEach(shm.directory()::unlink);
    }

    @Test
    void shouldRemoveTheRegionOfADeadNodeWhosePidALiveProcessNowHas() throws Exception {
        // a dead node's whole region whose pid is this JVM's now: recorded with another start time, as a reused pid is
        NodeRegion ghost = NodeRegion.create(shm.directory(), "ghost", 1, 4096, 0);
        Path file = shm.path().resolve(String.format("node-%016x.region", ghost.id()));
        byte[] bytes = Files.readAllBytes(file);
        ghost.close(); // removes it: written back below as the dead node left it
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        assertThat(header.getLong(24)).as("creatorPid").isEqualTo(ProcessHandle.current().pid());
        header.putLong(32, header.getLong(32) - 1); // creatorStartTime: an older process on the same pid
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        ActorSystem<Void> system = system();

        system.close();

        assertThat(shm.directory().list()).as("the dead node's region and the shared regions").isEmpty();
    }
}
