package io.millrace.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link StatsTable}: one row per site, whoever claims it and however its claimer ends. */
class StatsTableTest {
    private final Arena arena = Arena.ofConfined();
    /** One table's block, as each process maps it: a {@code new StatsTable(block)} is another process's view. */
    private final MemorySegment block = arena.allocate(StatsTable.BYTES, 64);

    @AfterEach
    void freeBlock() {
        arena.close();
    }

    /**
     * A claimer killed (or descheduled) between its claim of a site's row and the row's name: another process asking
     * for the same site takes that row and names it, instead of claiming a second row for the site.
     */
    @Test
    void shouldTakeOverTheRowOfASiteWhoseClaimerNeverNamedIt() {
        StatsTable first = new StatsTable(block);
        long row = first.row("Bank.transfer:12");
        first.committed(row, 1);
        block.set(ValueLayout.JAVA_INT, row + StatsTable.NAME_LENGTH, 0); // as a claimer killed before its name
        StatsTable other = new StatsTable(block); // another process's view of the same block
        long start = System.nanoTime();
        assertThat(other.row("Bank.transfer:12")).isEqualTo(row);
        assertThat(System.nanoTime() - start).as("it waited for the claimer first")
                .isGreaterThanOrEqualTo(StatsTable.NAME_WAIT_NANOS);
        other.committed(row, 2);
        assertThat(StatsTable.read(block)).singleElement().satisfies(s -> {
            assertThat(s.site()).isEqualTo("Bank.transfer:12");
            assertThat(s.commits()).isEqualTo(2);
            assertThat(s.retried()).isEqualTo(1);
        });
    }

    /** Two sites whose rows are both claimed and named get a row each; asking again returns the same rows. */
    @Test
    void shouldKeepOneRowPerSite() {
        StatsTable table = new StatsTable(block);
        long a = table.row("A.run:1");
        long b = table.row("B.run:2");
        assertThat(a).isNotEqualTo(b);
        assertThat(new StatsTable(block).row("A.run:1")).isEqualTo(a);
        assertThat(new StatsTable(block).row("B.run:2")).isEqualTo(b);
        assertThat(StatsTable.read(block)).extracting(TransactionStats::site)
                .containsExactlyInAnyOrder("A.run:1", "B.run:2");
    }
}
