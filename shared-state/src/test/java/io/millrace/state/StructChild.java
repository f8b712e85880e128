package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for {@link StructCrossProcessTest}: {@code DIR NAME COMMAND ARGS...}. Prints {@code READY} once
 * attached and {@code DONE ...} at the end.
 */
public final class StructChild {
    private StructChild() {
    }

    public static void main(String[] args) {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        try (StructArray<Account> accounts = StructArray.open(directory, args[1], StructType.of(Account.class),
                Duration.ofSeconds(10))) {
            System.out.println("READY");
            Account account = accounts.get(0);
            switch (args[2]) {
                case "write" -> {
                    account.balance(Long.parseLong(args[3]));
                    account.owner(args[4]);
                }
                case "add" -> {
                    long n = Long.parseLong(args[3]);
                    for (long i = 0; i < n; i++) {
                        account.addBalance(1);
                    }
                }
                case "mirror" -> { // keeps balance == mirror, for ever (the parent kills it)
                    while (true) {
                        account.update(v -> new Account.Value(v.balance() + 1, v.mirror() + 1, v.transfers(),
                                v.rate(), v.owner()));
                    }
                }
                case "update" -> account.update(v -> new Account.Value(v.balance() + 1, v.mirror() + 1,
                        v.transfers() + 1, v.rate(), "after"));
                case "park-in-fn" -> account.update(v -> {
                    System.out.println("PARKED fn");
                    System.out.flush();
                    while (true) {
                        LockSupport.park();
                    }
                });
                default -> throw new IllegalArgumentException("command=" + args[2]);
            }
            System.out.println("DONE " + account.balance());
        }
    }
}
