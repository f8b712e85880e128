package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * A child JVM for transactions over map entries: {@code DIR NAME transfer FROM TO AMOUNT} once on the map
 * {@code NAME} of account numbers to balances, or {@code DIR NAME bank SEED} random transfers for ever on both the
 * struct array {@code NAME} and the map {@code NAME-map} (the bank). Prints {@code READY} once attached.
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
                        if ((i & 1) == 0) {
                            TxChild.transfer(accounts, from, to, amount);
                        } else {
                            transfer(map, from, to, amount);
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
