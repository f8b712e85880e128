package io.millrace.generators;

import io.millrace.reactive.RemoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Parallel#mapInts} over a pool of two real worker JVMs, and each map's task shipped once. */
class IntMapTest {
    @RegisterExtension
    static final PoolDirectory DIR = new PoolDirectory(2);

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000, 5000, Integer.MAX_VALUE, 0})
    void shouldMapIntsInInputOrderWhateverTheChunksize(int chunksize) {
        int[] inputs = new Random(chunksize).ints(chunksize == 0 ? 100_003 : 5000).toArray(); // 0: the default
        MapOptions chunked = chunksize == 0 ? DIR.options() : DIR.options().withChunksize(chunksize);

        int[] results = Parallel.mapInts(x -> x * 3 + 1, inputs, chunked);

        assertThat(results).isEqualTo(Arrays.stream(inputs).map(x -> x * 3 + 1).toArray());
    }

    @Test
    void shouldLeaveTheInputsAsTheyWereAndReturnANewArray() {
        int[] inputs = {5, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};

        int[] results = Parallel.mapInts(x -> -x, inputs, DIR.options());

        assertThat(inputs).containsExactly(5, -1, Integer.MAX_VALUE, Integer.MIN_VALUE);
        assertThat(results).containsExactly(-5, 1, -Integer.MAX_VALUE, Integer.MIN_VALUE).isNotSameAs(inputs);
        assertThat(Parallel.mapInts(x -> x, new int[0], DIR.options())).isEmpty();
    }

    @Test
    void shouldNameTheMissingArgument() {
        assertThatThrownBy(() -> Parallel.mapInts(null, new int[1], DIR.options())).hasMessage("fn");
        assertThatThrownBy(() -> Parallel.mapInts(x -> x, null, DIR.options())).hasMessage("inputs");
        assertThatThrownBy(() -> Parallel.mapInts(x -> x, new int[1], null)).hasMessage("options");
    }

    @Test
    void shouldFailTheIntMapWithTheFunctionsException() {
        assertThatThrownBy(() -> Parallel.mapInts(x -> 10 / x, new int[] {1, 0, 2}, DIR.options()))
                .isInstanceOf(RemoteException.class).hasMessageContaining("ArithmeticException");
    }

    @Test
    void shouldFailTheIntMapClearlyWhenAWorkerIsKilledMidMapAndRecover() {
        int[] inputs = IntStream.range(0, 4000).toArray();

        assertThatThrownBy(() -> Parallel.mapInts(x -> {
            if (x == 2500) {
                ChildState.killSelf();
            }
            return x;
        }, inputs, DIR.options().withChunksize(500))).isInstanceOfSatisfying(WorkerDiedException.class,
                e -> assertThat(e.exitStatus()).isEqualTo(-9));

        assertThat(Parallel.mapInts(x -> x + 1, inputs, DIR.options())).isEqualTo(IntStream.range(1, 4001).toArray());
    }

    @Test
    void shouldRetryTheIntChunkOfAKilledWorkerOnAnotherAndKeepTheOrder(@TempDir Path markers) {
        String marker = markers.resolve("died-once").toString();
        int[] inputs = IntStream.range(0, 4000).toArray();

        int[] results = Parallel.mapInts(x -> {
            if (x == 1700) {
                ChildState.killSelfTheFirstTime(marker);
            }
            return -x;
        }, inputs, DIR.options().withChunksize(400).withRetries(1));

        assertThat(results).isEqualTo(IntStream.range(0, 4000).map(x -> -x).toArray());
    }

    @Test
    void shouldMergeEachIntChunksSnapshot() {
        AtomicLong total = new AtomicLong();

        int[] results = Parallel.mapInts(x -> (int) ChildState.add(x), IntStream.range(0, 2000).toArray(),
                DIR.options().withChunksize(100).withJoin(ChildState::takeTotal, total::addAndGet));

        assertThat(total.get()).isEqualTo(1999L * 2000 / 2);
        assertThat(results).hasSize(2000);
    }

    @Test
    void shouldRefuseAnIntFunctionCapturingANonSerializableValueNamingIt() {
        Object lock = new Object();

        assertThatThrownBy(() -> Parallel.mapInts(x -> x + lock.hashCode(), new int[0], DIR.options()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captures a java.lang.Object")
                .hasMessageContaining("in " + IntMapTest.class.getName());
    }

    @Test
    void shouldRefuseATaskHoldingANonSerializableValueNamingTheUsersLambda() {
        NotSerializable held = new NotSerializable();
        Holder holder = new Holder(held);

        assertThatThrownBy(() -> Parallel.map((Integer x) -> x + holder.hashCode(), List.of(1), DIR.options()))
                .hasMessageContaining("in " + IntMapTest.class.getName())
                .hasMessageContaining(NotSerializable.class.getName());
        assertThatThrownBy(() -> Parallel.starmap((Integer a, Integer b) -> a + b + holder.hashCode(),
                List.of(Map.entry(1, 2)), DIR.options())).hasMessageContaining("in " + IntMapTest.class.getName())
                .hasMessageContaining(NotSerializable.class.getName());
        assertThatThrownBy(() -> PoolSupport.taskCode(() -> holder.hashCode()))
                .hasMessageContaining("in " + IntMapTest.class.getName())
                .hasMessageContaining(NotSerializable.class.getName());
    }

    @Test
    void shouldSerializeAMapsFunctionOnceAMap() {
        Counted counted = new Counted();
        int before = Counted.WRITES.get();

        Parallel.map((Integer x) -> x + counted.hashCode(), List.of(1), DIR.options()); // shipped, not subscribed
        assertThat(Counted.WRITES.get() - before).as("map").isEqualTo(1);

        Parallel.starmap((Integer a, Integer b) -> a + b + counted.hashCode(),
                List.of(new AbstractMap.SimpleImmutableEntry<>(1, 2)), DIR.options());
        assertThat(Counted.WRITES.get() - before).as("map, starmap").isEqualTo(2);

        Parallel.mapInts(x -> x + counted.hashCode(), new int[0], DIR.options());
        assertThat(Counted.WRITES.get() - before).as("map, starmap, mapInts").isEqualTo(3);

        PoolSupport.taskCode(() -> counted.hashCode());
        assertThat(Counted.WRITES.get() - before).as("map, starmap, mapInts, a pool's task").isEqualTo(4);
    }

    /** Counts its serializations. */
    private static final class Counted implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        static final AtomicInteger WRITES = new AtomicInteger();

        @Serial
        private void writeObject(ObjectOutputStream out) throws IOException {
            WRITES.incrementAndGet();
            out.defaultWriteObject();
        }
    }

    /** Serializable, holding what is not: Shipping's check of the captured values passes, serialization fails. */
    private record Holder(Object held) implements Serializable {
    }

    private static final class NotSerializable {
    }
}
