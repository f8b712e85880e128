package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * A child JVM for transactions over map entries: {@code DIR NAME transfer FROM TO AMOUNT} once on the map
 * {@code NAME} of account numbers to balances, or {@code DIR NAME bank SEED} random transfers for ever on both the
 * struct array {@code NAME} and the map {@code NAME-map} (the bank: within the structs, within the map, and
 * between a struct and a map account), or {@code DIR NAME mixed FROM TO AMOUNT} once from a struct account to a map
 * account. Prints {@code READY} once attached.
 */
public final class MapTxChild {
    private MapTxChild() {
    }

    static SharedMap<Long, Long> create(ShmDirectory directory, String name, int accounts, long balance) {
        SharedMap<Long, Long> map = SharedMap.create(directory, name, new SharedMap.Capacity(accounts, 8, 8),
                LongCodec.INSTANCE, LongCodec.INSTANCE);
        for (long i = 0; i < accounts; i++) {
            map.put(i, balance);
        }
        return map;
    }

    static SharedMap<Long, Long> open(ShmDirectory directory, String name) {
        return SharedMap.open(directory, name, LongCodec.INSTANCE, LongCodec.INSTANCE, Duration.ofSeconds(10));
    }

    static void transfer(SharedMap<Long, Long> map, long from, long to, long amount) {
        Transactions.atomic(map, tx -> {
            long balance = tx.get(from);
            if (balance >= amount) {
                tx.put(from, balance - amount);
                tx.put(to, tx.get(to) + amount);
            }
        });
    }

    /**
     * Moves {@code amount} from struct account {@code from} to map account {@code to} ({@code toMap}), or from map
     * account {@code from} to struct account {@code to}, in one transaction over both regions.
     */
    static void mixed(StructArray<Account> accounts, SharedMap<Long, Long> map, int from, int to, long amount,
                      boolean toMap) {
        Transactions.atomic(tx -> {
            Tx structs = tx.on(accounts);
            MapTx<Long, Long> entries = tx.on(map);
            long balance = toMap ? structs.getLong(accounts.get(from), "balance") : entries.get((long) from);
            if (balance >= amount) {
                if (toMap) {
                    structs.setLong(accounts.get(from), "balance", balance - amount);
                    entries.put((long) to, entries.get((long) to) + amount);
                } else {
                    entries.put((long) from, balance - amount);
                    structs.setLong(accounts.get(to), "balance", structs.getLong(accounts.get(to), "balance") + amount);
                }
            }
        });
    }

    /** The sum of the balances of accounts 0 to {@code n - 1}, in one transaction; each must be there and >= 0. */
    static long total(SharedMap<Long, Long> map, int n) {
        return Transactions.atomicGet(map, tx -> {
            long sum = 0;
            for (long i = 0; i < n; i++) {
                Long balance = tx.get(i);
                if (balance == null || balance < 0) {
                    throw new AssertionError("account " + i + " has balance=" + balance);
                }
                sum += balance;
            }
            return sum;
        });
    }

    public static void main(String[] args) {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        switch (args[2]) {
            case "transfer" -> {
                try (SharedMap<Long, Long> map = open(directory, args[1])) {
                    System.out.println("READY");
                    transfer(map, Long.parseLong(args[3]), Long.parseLong(args[4]), Long.parseLong(args[5]));
                }
            }
            case "mixed" -> {
                try (StructArray<Account> accounts = StructArray.open(directory, args[1], StructType.of(Account.class),
                        Duration.ofSeconds(10));
                     SharedMap<Long, Long> map = open(directory, args[1] + "-map")) {
                    System.out.println("READY");
                    mixed(accounts, map, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                            true);
                }
            }
            case "bank" -> {
                try (StructArray<Account> accounts = StructArray.open(directory, args[1], StructType.of(Account.class),
                        Duration.ofSeconds(10));
                     SharedMap<Long, Long> map = open(directory, args[1] + "-map")) {
                    System.out.println("READY");
                    Random random = new Random(Long.parseLong(args[3]));
                    int n = accounts.length();
                    for (long i = 0; ; i++) {
                        int from = random.nextInt(n);
                        int to = random.nextInt(n - 1);
                        to = to >= from ? to + 1 : to;
                        long amount = 1 + random.nextInt(50);
                        switch ((int) (i % 3)) {
                            case 0 -> TxChild.transfer(accounts, from, to, amount);
                            case 1 -> transfer(map, from, to, amount);
                            default -> mixed(accounts, map, from, to, amount, (i & 1) == 0);
                        }
                        if (i == 1000) {
                            System.out.println("WORKING");
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("command=" + args[2]);
        }
        System.out.println("DONE");
    }
}
