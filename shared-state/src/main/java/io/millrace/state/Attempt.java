package io.millrace.state;

import java.util.Arrays;

/** One attempt of a transaction ({@link Tx}, {@link MapTx}), as {@link Transactions} drives it. */
abstract class Attempt {
    /** No locks held: what a read-only attempt validates against. */
    static final long[] NONE = new long[0];

    /** {@return whether the attempt committed}: a read-only one validates, a writing one commits. */
    abstract boolean commit();

    /** After a failed {@link #commit}: recovers what a dead process holds that the attempt read, if anything. */
    abstract void recoverBlocked();

    /** {@return the values sorted, each once} */
    static long[] distinctSorted(long[] values) {
        Arrays.sort(values);
        int distinct = 0;
        for (int i = 0; i < values.length; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                values[distinct++] = values[i];
            }
        }
        return distinct == values.length ? values : Arrays.copyOf(values, distinct);
    }
}
