package io.millrace.shm;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LayoutTest {

    @Test
    void shouldGiveEveryHotRingCounterItsOwn128Bytes() {
        List<Long> hot = List.of(RingDescriptor.TAIL_OFFSET, RingDescriptor.CLEANED_OFFSET,
                RingDescriptor.HEAD_OFFSET, RingDescriptor.DATA_SIGNAL_OFFSET, RingDescriptor.SPACE_SIGNAL_OFFSET);
        Set<Long> blocks = new HashSet<>();
        for (long offset : hot) {
            assertThat(offset % 128).as("offset %d starts a 128-byte block", offset).isZero();
            assertThat(blocks.add(offset / 128)).as("offset %d shares its block", offset).isTrue();
        }
        // the cold fields sit in blocks of their own, after the hot ones
        for (long cold : List.of(RingDescriptor.PRODUCERS_JOINED_OFFSET, RingDescriptor.SKIPPED_RECORDS_OFFSET,
                RingDescriptor.CAPACITY_OFFSET)) {
            assertThat(blocks).doesNotContain(cold / 128);
        }
        // each producer's claim window (written on every MPSC claim) on its own 128 bytes, after the 1024 above
        assertThat(RingDescriptor.PRODUCER_TABLE_OFFSET).isEqualTo(1024);
        assertThat(RingDescriptor.PRODUCER_ENTRY_LENGTH).isEqualTo(128);
        assertThat(RingDescriptor.HEADER_LENGTH).isEqualTo(1024 + 128 * RegionDescriptor.MAX_PARTICIPANTS);
    }

    @Test
    void shouldKeepRegionBlocksOn128ByteBoundaries() {
        assertThat(RegionDescriptor.HEADER_LENGTH).isEqualTo(128);
        assertThat(RegionDescriptor.PARTICIPANT_LENGTH).isEqualTo(128);
        assertThat(RegionDescriptor.ENTRY_LENGTH).isEqualTo(64);
        assertThat(RegionDescriptor.LAYOUT_VERSION_OFFSET).isEqualTo(8);
        assertThat(RegionDescriptor.structuresOffset(64, 3) % 128).isZero();
        RegionSpec spec = RegionSpec.named("r").atomicLong("a").spscRing("s", 1024).atomicLong("b").build();
        assertThat(spec.regionSize() % 128).isZero();
        assertThat(spec.regionSize()).isEqualTo(RegionDescriptor.structuresOffset(64, 3) + 128
                + RingDescriptor.HEADER_LENGTH + 1024 + 128);
    }

    @Test
    void shouldEncodeRecordHeadersAsOneLong() {
        long header = RecordDescriptor.header(7, 72);
        assertThat(RecordDescriptor.length(header)).isEqualTo(72);
        assertThat(RecordDescriptor.type(header)).isEqualTo(7);
        long claimed = RecordDescriptor.claimedHeader(RecordDescriptor.MAX_TYPE, 72, 63);
        assertThat(RecordDescriptor.length(claimed)).isEqualTo(-72);
        assertThat(RecordDescriptor.claimant(claimed)).isEqualTo(63);
        assertThat(RecordDescriptor.type(claimed) & RecordDescriptor.MAX_TYPE).isEqualTo(RecordDescriptor.MAX_TYPE);
        assertThat(RecordDescriptor.alignedLength(9)).isEqualTo(16);
        assertThat(RecordDescriptor.alignedLength(16)).isEqualTo(16);
    }
}
