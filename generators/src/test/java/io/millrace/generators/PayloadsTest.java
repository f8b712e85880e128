package io.millrace.generators;

import io.millrace.reactive.RemoteException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The data form between a pool and its workers: packed where it can be, serialized otherwise, never changed. */
class PayloadsTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void shouldGiveBackEqualValuesOfTheSameClassesWhetherPackedOrSerialized(long seed) {
        Random random = new Random(seed);
        List<Object> values = new ArrayList<>(Arrays.asList(null, random.nextInt(), random.nextLong(), "é" + seed,
                random.ints(50).boxed().toList(), random.longs(50).boxed().toList(),
                random.doubles(50).boxed().toList(), List.of(1, 2L, 3.0), Arrays.asList(1, null, 3),
                List.of(BigDecimal.valueOf(random.nextLong(), 3)), List.of()));

        for (Object value : values) {
            Object back = Payloads.read(Payloads.write(value));
            assertThat(back).isEqualTo(value);
            if (value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    Object element = ((List<?>) back).get(i);
                    assertThat(element == null ? null : element.getClass())
                            .isEqualTo(list.get(i) == null ? null : list.get(i).getClass());
                }
            } else if (value != null) {
                assertThat(back.getClass()).isEqualTo(value.getClass());
            }
        }
    }

    @Test
    void shouldReadAPackedListInPlaceAsAnImmutableListThatSerializesAsAnArrayList() throws Exception {
        List<Long> longs = new Random(7).longs(100).boxed().toList();
        List<?> back = (List<?>) Payloads.read(Payloads.writeList(longs.subList(10, 60)));

        assertThat(back).isEqualTo(longs.subList(10, 60)).isInstanceOf(java.util.RandomAccess.class);
        assertThatThrownBy(() -> ((List<Object>) back).set(0, 1L)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> back.get(50)).isInstanceOf(IndexOutOfBoundsException.class);
        Object copied = Payloads.read(Payloads.write(new ArrayList<>(List.of(back, "x"))).clone()); // serialized
        assertThat(copied).isEqualTo(List.of(longs.subList(10, 60), "x"));
        assertThat(((List<?>) copied).getFirst()).isInstanceOf(ArrayList.class);
        assertThat(Payloads.read(Payloads.writeList(List.of(1, "a").subList(0, 2)))).isEqualTo(List.of(1, "a"));
    }

    @Test
    void shouldCarryAnExceptionChainAsRemoteExceptions() {
        IllegalStateException error = new IllegalStateException("outer", new ArithmeticException("inner"));

        RemoteException back = Payloads.readError(Payloads.writeError(error));

        assertThat(back.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
        assertThat(back.remoteMessage()).isEqualTo("outer");
        assertThat(back.getStackTrace()).isEqualTo(error.getStackTrace());
        assertThat(back.getCause().remoteClassName()).isEqualTo(ArithmeticException.class.getName());
    }

    @Test
    void shouldRefuseACorruptPackedListNamingWhatIsWrong() {
        byte[] bytes = Payloads.write(List.of(1, 2, 3));

        assertThatThrownBy(() -> Payloads.read(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count=3");
        assertThatThrownBy(() -> Payloads.write(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("class=java.lang.Object");
    }
}
