package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * A child JVM for {@link TransactionsCrossProcessTest}: {@code DIR NAME transfer FROM TO AMOUNT} or
 * {@code DIR NAME deposit INDEX AMOUNT} once, or
 * {@code DIR NAME bank SEED} random transfers for ever. Prints {@code READY} once attached.
 */
public final class TxChild {
    private TxChild() {
    }

    static void transfer(StructArray<Account> accounts, int from, int to, long amount) {
        Transactions.atomic(accounts, tx -> {
            long balance = tx.getLong(accounts.get(from), "balance");
            if (balance >= amount) {
                tx.setLong(accounts.get(from), "balance", balance - amount);
                tx.setLong(accounts.get(to), "balance", tx.getLong(accounts.get(to), "balance") + amount);
            }
        });
    }

    /** The sum of the balances of all accounts, in one transaction; each must be >= 0. */
    static long total(StructArray<Account> accounts) {
        return Transactions.atomicGet(accounts, tx -> {
            long sum = 0;
            for (int i = 0; i < accounts.length(); i++) {
                long balance = tx.getLong(accounts.get(i), "balance");
                if (balance < 0) {
                    throw new AssertionError("struct account " + i + " has balance=" + balance);
                }
                sum += balance;
            }
            return sum;
        });
    }

    /** A transaction that writes one struct (two of its fields): the commit without a descriptor. */
    static void deposit(StructArray<Account> accounts, int index, long amount) {
        Transactions.atomic(accounts, tx -> {
            tx.setLong(accounts.get(index), "balance", tx.getLong(accounts.get(index), "balance") + amount);
            tx.setInt(accounts.get(index), "transfers", tx.getInt(accounts.get(index), "transfers") + 1);
        });
    }

    public static void main(String[] args) {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        try (StructArray<Account> accounts = StructArray.open(directory, args[1], StructType.of(Account.class),
                Duration.ofSeconds(10))) {
            System.out.println("READY");
            switch (args[2]) {
                case "transfer" -> transfer(accounts, Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                        Long.parseLong(args[5]));
                case "deposit" -> deposit(accounts, Integer.parseInt(args[3]), Long.parseLong(args[4]));
                case "bank" -> {
                    Random random = new Random(Long.parseLong(args[3]));
                    for (long n = 0; ; n++) {
                        int from = random.nextInt(accounts.length());
                        int to = random.nextInt(accounts.length() - 1);
                        transfer(accounts, from, to >= from ? to + 1 : to, 1 + random.nextInt(50));
                        if (n == 1000) {
                            System.out.println("WORKING");
                        }
                    }
                }
                default -> throw new IllegalArgumentException("command=" + args[2]);
            }
            System.out.println("DONE");
        }
    }
}
