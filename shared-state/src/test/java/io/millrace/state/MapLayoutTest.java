package io.millrace.state;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MapLayoutTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldStartEverySlotOnItsOwnCacheLineWithRoomForOneAndAHalfTimesTheAverageEntry(long seed) {
        Random random = new Random(seed);
        SharedMap.Capacity capacity = new SharedMap.Capacity(1 + random.nextInt(2_000_000), 1 + random.nextInt(64),
                random.nextInt(512));
        MapLayout layout = MapLayout.forCapacity(capacity);
        assertThat(layout.slotStride % 64).as("stride of %s", capacity).isZero();
        assertThat(layout.slotStride - MapLayout.SLOT_PAYLOAD).as("payload fills the stride").isEqualTo(layout.slotBytes);
        assertThat(2L * layout.slotBytes).isGreaterThanOrEqualTo(
                3L * (capacity.averageKeyBytes() + capacity.averageValueBytes()));
        assertThat(layout.slotStride - 64).as("one line fewer would not do")
                .isLessThan(MapLayout.SLOT_PAYLOAD + (3L * (capacity.averageKeyBytes() + capacity.averageValueBytes()) + 1) / 2);
        assertThat(2L * layout.buckets).as("load at most 2/3").isGreaterThanOrEqualTo(3L * layout.slots);
        assertThat(layout.buckets).as("the least power of two").isLessThan(3 * layout.slots);
        long segment = layout.segmentOffset(random.nextInt(layout.segments));
        assertThat(layout.slotOffset(segment, 1 + random.nextInt(layout.slots)) % 64).isZero();
    }
}
