package io.millrace.examples;

import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.shm.Jvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.state.EntryCodec;
import io.millrace.state.MapTx;
import io.millrace.state.SharedMap;
import io.millrace.state.Struct;
import io.millrace.state.StructArray;
import io.millrace.state.StructType;
import io.millrace.state.TransactionStats;
import io.millrace.state.Transactions;
import io.millrace.state.Tx;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The README's shared-state sample, and the bank: worker JVMs move money between accounts (live structs) in
 * transactions while this process SIGKILLs them at random and starts replacements; at the end the total is exactly
 * the starting total and no account is negative. A map counts the transfers and holds one more account, the
 * reserve, that transactions over both pay into and out of (a struct and a map entry committed together).
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp ... io.millrace.examples.BankExample [accounts workers kills]
 * </pre>
 */
public final class BankExample {
    static final String BANK = "bank-example";
    static final String LEDGER = "bank-example-ledger";
    static final String TALLY = "bank-example-tally";
    static final String RESERVE = "reserve";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    public interface Account extends Struct<Account.Value> {   // a live struct: fields in shared memory
        record Value(long balance) {}
        long balance();
        void balance(long value);
    }

    /** What the workers' transactions cost, summed across them. */
    public interface Tally extends Struct<Tally.Value> {
        record Value(long commits, long aborts, long retried) {
        }

        long commits();

        long addCommits(long delta);

        long aborts();

        long addAborts(long delta);

        long retried();

        long addRetried(long delta);
    }

    private BankExample() {
    }

    /**
     * Runs the bank ({@code accounts workers kills}, default 1000 4 200), or a worker ({@code work SEED}), on the
     * default base directory.
     *
     * @param args the bank's sizes, or {@code work} and a seed
     * @throws Exception if interrupted or a worker cannot start
     */
    public static void main(String[] args) throws Exception {
        ShmDirectory dir = ShmDirectory.defaultDirectory();
        if (args.length > 0 && args[0].equals("work")) {
            work(dir, Long.parseLong(args[1]));
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int kills = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        System.out.println(run(dir, n, workers, kills));
    }

    static void transfer(StructArray<Account> accounts, int from, int to, long amount) {
        Transactions.atomic(accounts, tx -> {                      // all or nothing, across processes and SIGKILLs
            long balance = tx.getLong(accounts.get(from), "balance");
            if (balance >= amount) {
                tx.setLong(accounts.get(from), "balance", balance - amount);
                tx.setLong(accounts.get(to), "balance", tx.getLong(accounts.get(to), "balance") + amount);
            }
        });
    }

    /** Moves {@code amount} between struct account {@code account} and the map's reserve, either way. */
    static void reserve(StructArray<Account> accounts, SharedMap<String, Long> ledger, int account, long amount) {
        Transactions.atomic(tx -> {                                // a struct and a map entry, together
            Tx structs = tx.on(accounts);
            MapTx<String, Long> entries = tx.on(ledger);
            long balance = structs.getLong(accounts.get(account), "balance");
            long reserve = entries.get(RESERVE);
            if (balance + amount >= 0 && reserve - amount >= 0) {
                structs.setLong(accounts.get(account), "balance", balance + amount);
                entries.put(RESERVE, reserve - amount);
            }
        });
    }

    /**
     * The bank: creates the accounts, runs and kills workers, verifies; returns the report line. Leaves no file: the
     * shared type registry goes too unless a live process still uses it (as {@code millrace clean} decides).
     */
    static String run(ShmDirectory dir, int n, int workers, int kills) throws IOException, InterruptedException {
        try {
            return runBank(dir, n, workers, kills);
        } finally {
            Transactions.closeLog(dir);                                 // the log of transactions over both
            dir.cleanPlan().stream()
                    .filter(decision -> decision.name().equals(SharedTypeRegistry.REGION) && decision.remove())
                    .forEach(decision -> dir.unlink(decision.name()));
        }
    }

    private static String runBank(ShmDirectory dir, int n, int workers, int kills)
            throws IOException, InterruptedException {
        try (SharedTypeRegistry registry = SharedTypeRegistry.open(dir, TIMEOUT);
             StructArray<Tally> tally = StructArray.create(dir, TALLY, StructType.of(Tally.class), 1)) {
            MessageCodec codec = new MessageCodec(registry);
            StructArray<Account> accounts = StructArray.create(dir, BANK, StructType.of(Account.class), n);
            SharedMap<String, Long> ledger = SharedMap.create(dir, LEDGER, new SharedMap.Capacity(64, 16, 8),
                    EntryCodec.of(codec, String.class), EntryCodec.of(codec, Long.class));
            try (accounts; ledger) {
                return bank(dir, n, workers, kills, accounts, ledger, tally);
            } finally {
                accounts.unlink();
                ledger.unlink();
                tally.unlink();
            }
        }
    }

    private static String bank(ShmDirectory dir, int n, int workers, int kills, StructArray<Account> accounts,
                               SharedMap<String, Long> ledger, StructArray<Tally> tally)
            throws IOException, InterruptedException {
        {
            for (int i = 0; i < n; i++) {
                accounts.get(i).balance(1_000);                     // any process that opens "bank-example" sees it
            }
            ledger.put(RESERVE, 1_000L);
            Random random = new Random(16);
            List<Process> running = new ArrayList<>();
            try {
                for (int w = 0; w < workers; w++) {
                    running.add(startWorker(dir, w));
                }
                for (int k = 0; k < kills; k++) {
                    awaitTransfers(ledger, 200);                      // the workers are at work
                    Thread.sleep(random.nextInt(50));                // a random moment: the victim is mid-transfer
                    int victim = random.nextInt(workers);
                    running.get(victim).destroyForcibly().waitFor();
                    running.set(victim, startWorker(dir, workers + k));
                }
                awaitTransfers(ledger, 200);
            } finally {
                for (Process p : running) {
                    p.destroyForcibly().waitFor();
                }
            }
            long total = Transactions.atomicGet(tx -> {
                long sum = tx.on(ledger).get(RESERVE);
                for (int i = 0; i < n; i++) {
                    long balance = tx.on(accounts).getLong(accounts.get(i), "balance");
                    if (balance < 0) {
                        throw new IllegalStateException("account " + i + " is negative: " + balance);
                    }
                    sum += balance;
                }
                return sum;
            });
            long expected = (n + 1) * 1_000L;
            Tally.Value t = tally.get(0).snapshot();
            String verdict = total == expected ? "verified" : "WRONG";
            return "commits=" + t.commits() + " aborts=" + t.aborts() + " retried=" + t.retried() + " kills=" + kills
                    + " transfers=" + ledger.get("transfers") + " total=" + total + " expected=" + expected + " "
                    + verdict;
        }
    }

    /** Waits until the workers made {@code more} transfers (at most 30 s: workers that cannot start end the run). */
    private static void awaitTransfers(SharedMap<String, Long> ledger, long more) throws InterruptedException {
        Long start = ledger.get("transfers");
        long target = (start == null ? 0 : start) + more;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Long now = start; now == null || now < target; now = ledger.get("transfers")) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the workers made no progress in 30 s (transfers=" + now + ")");
            }
            Thread.sleep(1);
        }
    }

    private static Process startWorker(ShmDirectory dir, long seed) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Jvm.NATIVE_ACCESS_FLAG, "-Xmx64m", "-D" + ShmDirectory.DIR_PROPERTY + "=" + dir.path(), "-cp",
                System.getProperty("java.class.path"), BankExample.class.getName(), "work", Long.toString(seed));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** A worker: random transfers until it is killed, its transaction counts added to the tally now and then. */
    private static void work(ShmDirectory dir, long seed) {
        try (SharedTypeRegistry registry = SharedTypeRegistry.open(dir, TIMEOUT);
             StructArray<Account> accounts = StructArray.open(dir, BANK, StructType.of(Account.class), TIMEOUT);
             StructArray<Tally> tally = StructArray.open(dir, TALLY, StructType.of(Tally.class), TIMEOUT);
             SharedMap<String, Long> ledger = SharedMap.open(dir, LEDGER,
                     EntryCodec.of(new MessageCodec(registry), String.class),
                     EntryCodec.of(new MessageCodec(registry), Long.class), TIMEOUT)) {
            Random random = new Random(seed);
            long commits = 0;
            long aborts = 0;
            long retried = 0;
            for (long i = 1; ; i++) {
                int from = random.nextInt(accounts.length());
                int to = (from + 1 + random.nextInt(accounts.length() - 1)) % accounts.length();
                if (i % 8 == 0) {
                    reserve(accounts, ledger, from, random.nextInt(201) - 100);
                } else {
                    transfer(accounts, from, to, 1 + random.nextInt(100));
                }
                ledger.merge("transfers", 1L, Long::sum);           // atomic per key across processes
                if (i % 256 == 0) {
                    List<TransactionStats> stats = Transactions.stats();      // one snapshot of the sites
                    long c = stats.stream().mapToLong(TransactionStats::commits).sum();
                    long a = stats.stream().mapToLong(TransactionStats::aborts).sum();
                    long r = stats.stream().mapToLong(TransactionStats::retried).sum();
                    tally.get(0).addCommits(c - commits);
                    tally.get(0).addAborts(a - aborts);
                    tally.get(0).addRetried(r - retried);
                    commits = c;
                    aborts = a;
                    retried = r;
                }
            }
        }
    }
}
