package io.millrace.state;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MapTransactionsTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    @Test
    void shouldCommitAllWritesOfABlockTogetherAndSeeItsOwnWrites() {
        try (SharedMap<Long, Long> map = MapTxChild.create(shm.directory(), "bank", 2, 100)) {
            MapTxChild.transfer(map, 0, 1, 30);
            long seen = Transactions.atomicGet(map, tx -> {
                tx.put(5L, 1L);
                tx.remove(0L);
                assertThat(tx.get(0L)).isNull();
                assertThat(tx.containsKey(5L)).isTrue();
                return tx.get(1L);
            });
            assertThat(seen).isEqualTo(130);
            assertThat(map.get(0L)).isNull();
            assertThat(map.get(1L)).isEqualTo(130);
            assertThat(map.get(5L)).isEqualTo(1);
            assertThat(map.size()).isEqualTo(2);
            assertThat(map.check()).isEmpty();
            map.unlink();
        }
    }

    @Test
    void shouldWriteNothingWhenTheBlockThrowsAndRefuseToNestAnotherMap() {
        try (SharedMap<Long, Long> map = MapTxChild.create(shm.directory(), "bank", 2, 100)) {
            assertThatThrownBy(() -> Transactions.atomic(map, tx -> {
                tx.put(0L, 5L);
                Transactions.atomic(map, inner -> inner.put(1L, 7L));
                assertThat(tx.get(1L)).isEqualTo(7); // the inner block joined
                throw new IllegalStateException("no");
            })).hasMessage("no");
            assertThat(map.get(0L)).isEqualTo(100);
            assertThat(map.get(1L)).isEqualTo(100);
            try (SharedMap<Long, Long> other = MapTxChild.create(shm.directory(), "other", 1, 0)) {
                assertThatThrownBy(() -> Transactions.atomic(map, tx -> Transactions.atomic(other, inner -> {
                }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot nest one on map 'other'");
                other.unlink();
            }
            map.unlink();
        }
    }

    @Test
    void shouldRefuseAFullSegmentBeforeTheCommitPointAndWriteNothing() {
        try (SharedMap<Long, Long> map = SharedMap.create(shm.directory(), "small", new SharedMap.Capacity(4, 8, 8),
                LongCodec.INSTANCE, LongCodec.INSTANCE)) {
            assertThatThrownBy(() -> Transactions.atomic(map, tx -> {
                for (long k = 0; k < 20; k++) {
                    tx.put(k, k);
                }
            })).isInstanceOf(SharedStateException.class).hasMessageContaining("MAP_FULL");
            assertThat(map.size()).isZero();
            assertThat(map.check()).isEmpty();
            map.put(1L, 1L); // no lock left held
            assertThat(map.transactionStats()).singleElement().satisfies(st -> assertThat(st.commits()).isZero());
            map.unlink();
        }
    }

    @Test
    void shouldKeepTheTotalOfTransfersByContendingThreads() throws Exception {
        int n = 64;
        try (SharedMap<Long, Long> map = MapTxChild.create(shm.directory(), "bank", n, 1_000)) {
            ContendingThreads.run(3, 10_000, random -> {
                int from = random.nextInt(n);
                MapTxChild.transfer(map, from, (from + 1 + random.nextInt(n - 1)) % n, random.nextInt(100));
            });
            assertThat(MapTxChild.total(map, n)).isEqualTo(n * 1_000L);
            assertThat(map.size()).isEqualTo(n);
            List<TransactionStats> stats = map.transactionStats();
            assertThat(stats).filteredOn(st -> st.site().startsWith(MapTxChild.class.getName() + ".transfer:"))
                    .singleElement().satisfies(st -> {
                        assertThat(st.commits()).isEqualTo(30_000);
                        assertThat(st.retried()).isLessThanOrEqualTo(st.aborts());
                    });
            assertThat(stats).filteredOn(st -> st.site().startsWith(MapTxChild.class.getName() + ".total:"))
                    .singleElement().satisfies(st -> assertThat(st.commits()).isEqualTo(1));
            assertThat(TransactionStats.inspect(shm.directory(), "bank")).isEqualTo(map.transactionStats());
            assertThat(map.check()).isEmpty();
            map.unlink();
        }
    }
}
