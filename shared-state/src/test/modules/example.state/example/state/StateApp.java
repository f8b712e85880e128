package example.state;

import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.shm.ShmDirectory;
import io.millrace.state.EntryCodec;
import io.millrace.state.SharedMap;
import io.millrace.state.StructArray;
import io.millrace.state.StructType;

import java.time.Duration;

/**
 * Runs on the module path (module example.state), as {@code first} or {@code second} over the same base directory.
 * {@code first} creates a struct array and a map, writes to both, prints {@code READY <flyweight's module>}, waits
 * for {@code second}'s writes, prints {@code SEEN <counter snapshot> <map values>}, removes the regions and prints
 * {@code DONE}. {@code second} opens both, prints {@code GOT <what first wrote>}, then adds to both.
 */
public final class StateApp {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private StateApp() {
    }

    /** A map key of this module, carried by the actors' codec. */
    record Account(String owner, int number) {
    }

    public static void main(String[] args) throws InterruptedException {
        ShmDirectory directory = ShmDirectory.defaultDirectory();
        SharedTypeRegistry registry = SharedTypeRegistry.open(directory, WAIT);
        MessageCodec codec = new MessageCodec(registry);
        EntryCodec<Account> keys = EntryCodec.of(codec, Account.class);
        EntryCodec<Long> values = EntryCodec.of(codec, Long.class);
        StructType<Counter> type = StructType.of(Counter.class);
        Account ann = new Account("ann", 1);
        Account bob = new Account("bob", 2);
        if (args[0].equals("first")) {
            try (StructArray<Counter> counters = StructArray.create(directory, "counters", type, 2);
                 SharedMap<Account, Long> balances = SharedMap.create(directory, "balances",
                         new SharedMap.Capacity(100, 32, 16), keys, values)) {
                Counter counter = counters.get(1);
                counter.addHits(5);
                counter.misses(1);
                balances.put(ann, 10L);
                System.out.println("READY " + counter.getClass().getModule().getName());
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (counter.hits() != 12 || balances.get(bob) == null) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("second's writes not seen within " + WAIT + ": hits="
                                + counter.hits() + " bob=" + balances.get(bob));
                    }
                    Thread.sleep(1);
                }
                System.out.println("SEEN " + counter.snapshot() + " ann=" + balances.get(ann) + " bob="
                        + balances.get(bob));
                counters.unlink();
                balances.unlink();
            }
            registry.close();
            directory.unlink(SharedTypeRegistry.REGION);
            System.out.println("DONE");
        } else {
            try (StructArray<Counter> counters = StructArray.open(directory, "counters", type, WAIT);
                 SharedMap<Account, Long> balances = SharedMap.open(directory, "balances", keys, values, WAIT)) {
                Counter counter = counters.get(1);
                System.out.println("GOT " + counter.snapshot() + " ann=" + balances.get(ann));
                balances.merge(ann, 5L, Long::sum);
                balances.put(bob, 7L);
                counter.addHits(7);
            }
            registry.close();
        }
    }
}
