package io.millrace.shm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link SharedRegion#close} across processes: a child closes its region while a claim of its own is under way
 * ({@link ClosingClaimChild}); until that claim ends, this process judges the child's participant slot alive
 * ({@code isAlive}, {@code seemsAlive}: what every takeover of a dead process's claims or cleaner word asks first)
 * and a region attached meanwhile takes another slot; once the claim ends the slot is free. Without the close's
 * wait the slot was freed at once, and read as dead here while the child still wrote. The close waits 1 s at most:
 * a round in which this process looked later shows nothing and is played again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CloseUnderClaimCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** How long a close waits for a claim under way ({@link SharedRegion#close}). */
    private static final long CLOSE_WAIT_MILLIS = TimeUnit.NANOSECONDS.toMillis(SharedRegion.CLAIMS_WAIT_NANOS);
    private static final int ROUNDS = 5;

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();
    @RegisterExtension
    final RingChildren children = new RingChildren(shm);

    @Test
    void shouldNotLetAnotherProcessTakeTheSlotOfAProcessClosingUnderAClaimUntilTheClaimEnds() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            if (conclusiveRound(round)) {
                return;
            }
        }
        fail("in none of " + ROUNDS + " rounds did this process look within the close's wait of "
                + CLOSE_WAIT_MILLIS + " ms (a machine that slow cannot show it)");
    }

    /**
     * One child closing under a claim. @return false when this process looked only after the close had stopped
     * waiting (its slot then free, as meant), so that the round shows nothing
     */
    private boolean conclusiveRound(int round) throws Exception {
        SharedRegion region = children.own(shm.directory().create(
                RegionSpec.named("claimed-" + round).mpscRing("r", 4096).build()));
        SharedRegion signals = children.own(shm.directory().create(
                RegionSpec.named("signals-" + round).atomicInt("release").build()));
        ChildJvm child = children.add(ChildJvm.start(ClosingClaimChild.class, shm.path().toString(), region.name(),
                signals.name()));
        long ref = Long.parseLong(child.awaitLine("CLOSING ", TIMEOUT).substring("CLOSING ".length()));
        boolean alive = region.isParticipantAlive(ref) && region.participants().seemsAlive(ref);
        List<Long> pids = pids(region);
        int newcomerSlot;
        try (SharedRegion newcomer = shm.directory().attach(region.name(), TIMEOUT)) { // takes a free slot
            newcomerSlot = newcomer.slot();
        }
        boolean taken = newcomerSlot == Participants.slotOf(ref);

        SharedAtomicInt release = signals.atomicInt("release");
        release.setRelease(1);
        release.wakeAll();
        String[] released = child.awaitLine("RELEASED ", TIMEOUT).split(" ");
        assertThat(child.awaitExit(TIMEOUT)).as("child exit, output %s", child.transcript()).isZero();
        long heldMillis = Long.parseLong(released[1]);
        boolean closedBefore = Boolean.parseBoolean(released[2]);
        if ((!alive || taken) && heldMillis >= CLOSE_WAIT_MILLIS) {
            return false;
        }
        assertThat(alive).as("the closing child's slot, %d ms into its close, its claim open", heldMillis).isTrue();
        assertThat(pids).as("the participants while it closes").contains(child.pid());
        assertThat(taken).as("a process attaching meanwhile took the closing child's slot %d", newcomerSlot)
                .isFalse();
        if (heldMillis < CLOSE_WAIT_MILLIS) {
            assertThat(closedBefore).as("the close returned while the claim was open").isFalse();
        }
        assertThat(region.isParticipantAlive(ref)).as("the slot once the claim ended and the close returned").isFalse();
        assertThat(pids(region)).as("the participants once it closed").doesNotContain(child.pid());
        return true;
    }

    private static List<Long> pids(SharedRegion region) {
        return region.participantList().stream().map(ParticipantInfo::pid).toList();
    }
}
