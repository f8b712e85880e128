package io.millrace.state;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    public interface Unsupported extends Struct<Unsupported.V> {
        record V(Object thing) {
        }

        Object thing();
    }

    public interface Clash extends Struct<Clash.V> {
        record V(long total, long Total) {
        }

        long total();

        long Total();
    }

    public interface TooBig extends Struct<TooBig.V> {
        record V(long a, byte[] blob) {
        }

        long a();

        @Length(65535)
        byte[] blob();
    }

    public interface NoLength extends Struct<NoLength.V> {
        record V(String name) {
        }

        String name();
    }

    public interface AddOnShort extends Struct<AddOnShort.V> {
        record V(short small) {
        }

        short small();

        void addSmall(short delta);
    }

    public interface RecordMismatch extends Struct<RecordMismatch.V> {
        record V(long a, int b) {
        }

        long a();

        long b();
    }

    public interface Reserved extends Struct<Reserved.V> {
        record V(int index) {
        }

        @Override
        int index();
    }

    /** Account with its balance an int: another layout, the same region name. */
    public interface OtherAccount extends Struct<OtherAccount.V> {
        record V(int balance) {
        }

        int balance();
    }

    record Point(long x, long y, @Padded long hits, @Length(8) String label) {
    }

    @Test
    void shouldReadWriteAddAndCompareAndSetFieldsInSharedMemory() {
        StructType<Account> type = StructType.of(Account.class);
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", type, 3)) {
            Account a = accounts.get(1);
            a.balance(100);
            assertThat(a.addBalance(5)).isEqualTo(105);
            assertThat(a.compareAndSetBalance(1, 2)).isFalse();
            assertThat(a.compareAndSetBalance(105, 7)).isTrue();
            a.addTransfers(3);
            assertThat(a.addRate(0.5)).isEqualTo(0.5);
            a.owner("zoë");
            assertThat(a.snapshot()).isEqualTo(new Account.Value(7, 0, 3, 0.5, "zoë"));
            assertThat(accounts.get(0).balance()).isZero();
            assertThat(accounts.get(2).snapshot()).isEqualTo(new Account.Value(0, 0, 0, 0, ""));
            assertThat(accounts.get(1)).isSameAs(a);
            assertThat(a.index()).isEqualTo(1);
            assertThatThrownBy(() -> a.owner("a string of more than sixteen bytes"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 'owner'");
            assertThatThrownBy(() -> accounts.get(3)).isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("index=3 length=3");
            accounts.unlink();
        }
    }

    @Test
    void shouldUpdateAllFieldsAtOnceAndSeeThemInAnotherMapping() {
        StructType<Account> type = StructType.of(Account.class);
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", type, 2);
             StructArray<Account> other = StructArray.open(shm.directory(), "bank", type, Duration.ofSeconds(5))) {
            accounts.get(0).update(v -> new Account.Value(v.balance() + 10, v.mirror() + 10, 1, 2.5, "ann"));
            assertThat(other.get(0).snapshot()).isEqualTo(new Account.Value(10, 10, 1, 2.5, "ann"));
            assertThatThrownBy(() -> accounts.get(0).update(v -> null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fn returned null");
            other.get(0).update(v -> new Account.Value(1, 1, 1, 1, "bob")); // the lock was released after the failure
            assertThat(accounts.get(0).owner()).isEqualTo("bob");
            accounts.unlink();
        }
    }

    @Test
    void shouldLayOutARecordAsAStructWithItsPaddedFieldAloneOn128Bytes() {
        StructType<RecordStruct<Point>> type = StructType.ofRecord(Point.class);
        assertThat(type.schema()).startsWith("hits:LONG@128,x:LONG@256,y:LONG@264,label:STRING(8)@272");
        try (StructArray<RecordStruct<Point>> points = StructArray.create(shm.directory(), "points", type, 2)) {
            RecordStruct<Point> p = points.get(1);
            p.update(v -> new Point(1, 2, 3, "p"));
            assertThat(p.addLong("hits", 4)).isEqualTo(7);
            p.set("label", "q");
            assertThat(p.snapshot()).isEqualTo(new Point(1, 2, 7, "q"));
            assertThat(p.get("x")).isEqualTo(1L);
            assertThatThrownBy(() -> p.get("z")).hasMessageContaining("no field 'z'");
            points.unlink();
        }
    }

    @Test
    void shouldNameTheFieldOfEveryDeclarationError() {
        assertField(() -> StructType.of(Unsupported.class), "thing", "not supported");
        assertField(() -> StructType.of(Clash.class), "total", "clashes with field 'Total'");
        assertField(() -> StructType.of(TooBig.class), "blob", "above the limit");
        assertField(() -> StructType.of(NoLength.class), "name", "needs @Length");
        assertField(() -> StructType.of(AddOnShort.class), "small", "needs a long, int, double or float field");
        assertField(() -> StructType.of(RecordMismatch.class), "b", "declares it int, the getter long");
        assertField(() -> StructType.of(Reserved.class), "index", "taken by Struct's own index()");
    }

    private static void assertField(Runnable declaration, String field, String problem) {
        assertThatThrownBy(declaration::run).isInstanceOfSatisfying(StructDeclarationException.class,
                e -> assertThat(e.field()).isEqualTo(field)).hasMessageContaining(problem)
                .hasMessageContaining("field '" + field + "'");
    }

    @Test
    void shouldRefuseToOpenAnArrayLaidOutForAnotherDeclarationNamingTheField() {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", StructType.of(Account.class), 1)) {
            assertThatThrownBy(() -> StructArray.open(shm.directory(), "bank", StructType.of(OtherAccount.class),
                    Duration.ofSeconds(1))).isInstanceOfSatisfying(SharedStateException.class,
                    e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.SCHEMA_MISMATCH))
                    .hasMessageContaining("field 'balance' differs");
            accounts.unlink();
        }
    }

    @Test
    void shouldRefuseACorruptHeaderAtOpenNamingTheField() throws Exception {
        StructType<Account> type = StructType.of(Account.class);
        long blockOffset;
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", type, 1)) {
            blockOffset = accounts.segment.address() - accounts.region.block(StructArray.BLOCK).address();
        }
        // the block is the region's only structure: find it from the magic
        try (FileChannel channel = FileChannel.open(shm.directory().file("bank"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            var map = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            var segment = java.lang.foreign.MemorySegment.ofBuffer(map);
            long at = -1;
            for (long o = 0; o < segment.byteSize(); o += 128) {
                if (segment.get(ValueLayout.JAVA_LONG, o) == StructArray.MAGIC) {
                    at = o;
                    break;
                }
            }
            assertThat(at).isPositive();
            segment.set(ValueLayout.JAVA_INT, at + StructArray.COUNT_OFFSET, 1_000_000);
        }
        assertThat(blockOffset).isZero();
        assertThatThrownBy(() -> StructArray.open(shm.directory(), "bank", type, Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SharedStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.CORRUPT))
                .hasMessageContaining("count=1000000");
        shm.directory().unlink("bank");
    }
}
