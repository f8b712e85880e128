package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test support: the bank of the tests over both kinds of structure, struct array {@code bank} and map
 * {@code bank-map} ({@link MapTxChild}), each with the same accounts of the same balance.
 */
final class Bank {
    private Bank() {
    }

    /** A test's body over the bank. */
    @FunctionalInterface
    interface Body {
        /**
         * @param accounts the struct accounts
         * @param map      the map accounts
         * @throws Exception fails the test
         */
        void run(StructArray<Account> accounts, SharedMap<Long, Long> map) throws Exception;
    }

    /**
     * Runs {@code body} over a bank of {@code accounts} accounts of {@code balance} in each structure, then removes
     * both structures and the directory's transaction log, which the body used: this {@code closeLog} must remove
     * it (no decided part may be left to keep it).
     */
    static void run(ShmDirectory directory, int accounts, long balance, Body body) throws Exception {
        run(directory, accounts, balance, body, true);
    }

    /**
     * As {@link #run}, for a body that used no transaction log or removed it itself: none is left to remove.
     */
    static void runLeavingNoLog(ShmDirectory directory, int accounts, long balance, Body body) throws Exception {
        run(directory, accounts, balance, body, false);
    }

    private static void run(ShmDirectory directory, int accounts, long balance, Body body, boolean logLeft)
            throws Exception {
        try (StructArray<Account> structs = StructArray.create(directory, "bank", StructType.of(Account.class),
                accounts);
             SharedMap<Long, Long> map = MapTxChild.create(directory, "bank-map", accounts, balance)) {
            for (int i = 0; i < accounts; i++) {
                structs.get(i).balance(balance);
            }
            body.run(structs, map);
            structs.unlink();
            map.unlink();
            assertThat(Transactions.closeLog(directory)).as("the transaction log removed here").isEqualTo(logLeft);
            assertThat(directory.file(TxLog.REGION)).as("the transaction log's file").doesNotExist();
        }
    }
}
