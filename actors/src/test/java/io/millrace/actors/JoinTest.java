package io.millrace.actors;

import io.millrace.actors.codec.UnsupportedMessageException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class JoinTest extends ActorTestKit {

    private static final int SHARDS = 4;
    private static final int CHUNK = 100;

    /** A shard's messages. */
    sealed interface Shard permits Chunk, Done {
    }

    record Chunk(List<String> words, boolean fail) implements Shard {
    }

    record Done() implements Shard {
    }

    /** The snapshot: encodable by the codec (a record of a map). */
    record Counts(Map<String, Integer> counts) {
    }

    /** Counts the words it is sent; stops at Done; throws on a failing chunk. */
    static Behavior<Shard> wordCounter() {
        return Behaviors.stateful(new HashMap<String, Integer>(), (context, counts, message) -> switch (message) {
            case Chunk chunk -> {
                if (chunk.fail()) {
                    throw new IllegalStateException("shard " + context.getSelf().path().name() + " fails mid-way");
                }
                chunk.words().forEach(word -> counts.merge(word, 1, Integer::sum));
                yield Behaviors.same();
            }
            case Done done -> Behaviors.stopped();
        });
    }

    static List<String> text(long seed, int words) {
        Random random = new Random(seed);
        List<String> text = new ArrayList<>(words);
        for (int i = 0; i < words; i++) {
            text.add("w" + (int) Math.abs(random.nextGaussian() * 80));
        }
        return text;
    }

    static Map<String, Integer> countAll(List<String> words) {
        Map<String, Integer> counts = new HashMap<>();
        words.forEach(word -> counts.merge(word, 1, Integer::sum));
        return counts;
    }

    static Map<String, Integer> merge(Map<String, Integer> parent, Counts snapshot) {
        Map<String, Integer> merged = new HashMap<>(parent);
        snapshot.counts().forEach((word, n) -> merged.merge(word, n, Integer::sum));
        return merged;
    }

    /** Spawns the shard and sends it its quarter in chunks; the chunk at {@code failAt} (or none, -1) fails. */
    static void startShard(ActorContext<String> context, String name, List<String> quarter, int failAt,
                           Joinable<?, ?, ?> joinable) {
        ActorRef<Shard> shard = context.spawnJoinable(wordCounter(), name, joinable);
        for (int from = 0, n = 0; from < quarter.size(); from += CHUNK, n++) {
            shard.tell(new Chunk(List.copyOf(quarter.subList(from, Math.min(quarter.size(), from + CHUNK))),
                    n == failAt));
        }
        shard.tell(new Done());
    }

    /**
     * Splits {@code text} into quarters, one joinable shard each; shard {@code failing} (or none) fails mid-way
     * and is started again once as {@code shard-i-retry}. Reports the merged counts once every quarter joined.
     */
    static Behavior<String> wordCountParent(List<String> text, int failing, ActorRef<Object> probe,
                                            AtomicInteger merges) {
        Joinable<Map<String, Integer>, Counts, Map<String, Integer>> joinable = Joinable.of(Counts.class,
                counts -> new Counts(Map.copyOf(counts)), (parent, snapshot) -> {
                    merges.incrementAndGet();
                    return merge(parent, snapshot);
                });
        int quarter = text.size() / SHARDS;
        List<List<String>> quarters = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            quarters.add(text.subList(i * quarter, i == SHARDS - 1 ? text.size() : (i + 1) * quarter));
        }
        return Behaviors.setup(context -> {
            for (int i = 0; i < SHARDS; i++) {
                startShard(context, "shard-" + i, quarters.get(i), i == failing ? 3 : -1, joinable);
            }
            AtomicInteger joined = new AtomicInteger();
            return Behaviors.stateful(Map.<String, Integer>of(), (ctx, counts, message) -> Behaviors.same(),
                    (ctx, counts, signal) -> {
                        switch (signal) {
                            case ChildFailed failed -> {
                                probe.tell("failed " + failed.ref().path().name() + ": " + failed.cause().getMessage());
                                int i = Integer.parseInt(failed.ref().path().name().substring("shard-".length()));
                                startShard(ctx, "shard-" + i + "-retry", quarters.get(i), -1, joinable);
                            }
                            case ChildJoined j -> {
                                probe.tell("joined " + j.ref().path().name());
                                if (joined.incrementAndGet() == SHARDS) {
                                    probe.tell(counts);
                                }
                            }
                            default -> {
                                return Behaviors.unhandled();
                            }
                        }
                        return Behaviors.same();
                    });
        });
    }

    @Test
    void shouldMergeTheCountsOfFourJoinedShardsIntoTheWholeTextsCount() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        List<String> text = text(13, 20_000);
        AtomicInteger merges = new AtomicInteger();
        system.systemActorOf(wordCountParent(text, -1, probe.ref(), merges), "word-count");
        List<Object> joins = probe.receiveMessages(SHARDS);
        assertThat(joins).containsExactlyInAnyOrder("joined shard-0", "joined shard-1", "joined shard-2",
                "joined shard-3");
        assertThat(probe.expectMessage()).isEqualTo(countAll(text));
        assertThat(merges.get()).as("each shard merged exactly once").isEqualTo(SHARDS);
    }

    @Test
    void shouldMergeNothingOfAFailedShardAndLetTheParentRestartIt() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        List<String> text = text(29, 20_000);
        AtomicInteger merges = new AtomicInteger();
        system.systemActorOf(wordCountParent(text, 2, probe.ref(), merges), "word-count");
        List<Object> events = probe.receiveMessages(SHARDS + 1);
        assertThat(events).containsExactlyInAnyOrder("failed shard-2: shard shard-2 fails mid-way",
                "joined shard-0", "joined shard-1", "joined shard-2-retry", "joined shard-3");
        assertThat(events.indexOf("failed shard-2: shard shard-2 fails mid-way"))
                .isLessThan(events.indexOf("joined shard-2-retry"));
        assertThat(probe.expectMessage()).as("the failed shard's partial counts were not merged")
                .isEqualTo(countAll(text));
        assertThat(merges.get()).isEqualTo(SHARDS);
    }

    /** A parent that spawns one joinable child and reports the signals it gets. */
    static Behavior<String> oneChild(Behavior<Shard> child, Joinable<?, ?, ?> joinable, ActorRef<Object> probe) {
        return Behaviors.setup(context -> {
            try {
                context.spawnJoinable(child, "child", joinable);
                probe.tell("spawned");
            } catch (RuntimeException e) {
                probe.tell(e);
            }
            return Behaviors.stateful(Map.<String, Integer>of(), (ctx, counts, message) -> {
                probe.tell(counts);
                return Behaviors.same();
            }, (ctx, counts, signal) -> {
                probe.tell(signal);
                return Behaviors.same();
            });
        });
    }

    @Test
    void shouldStopAChildThatDoesNotJoinInTimeAndReportItFailed() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        AtomicInteger merges = new AtomicInteger();
        Duration timeout = Duration.ofMillis(200);
        Joinable<Map<String, Integer>, Counts, Map<String, Integer>> joinable = Joinable.of(Counts.class,
                (Map<String, Integer> counts) -> new Counts(Map.copyOf(counts)),
                (Map<String, Integer> parent, Counts snapshot) -> {
                    merges.incrementAndGet();
                    return merge(parent, snapshot);
                }).withTimeout(timeout);
        Behavior<Shard> lingering = Behaviors.setup(context -> Behaviors.stateful(new HashMap<String, Integer>(),
                (ctx, counts, message) -> Behaviors.same(), (ctx, counts, signal) -> {
                    if (signal instanceof PostStop) {
                        probe.ref().tell("child stopped");
                    }
                    return Behaviors.same();
                }));
        long start = System.nanoTime();
        ActorRef<String> parent = system.systemActorOf(oneChild(lingering, joinable, probe.ref()), "parent");
        probe.expectMessage("spawned");
        List<Object> events = probe.receiveMessages(2);
        long elapsed = System.nanoTime() - start;
        ChildFailed failed = events.stream().filter(ChildFailed.class::isInstance).map(ChildFailed.class::cast)
                .findFirst().orElseThrow();
        assertThat(events).contains("child stopped");
        assertThat(failed.cause()).isInstanceOf(JoinTimeoutException.class).hasMessageContaining("timeout=PT0.2S");
        assertThat(elapsed).isGreaterThanOrEqualTo(timeout.toNanos());
        parent.tell("state?");
        assertThat(probe.expectMessage()).isEqualTo(Map.of());
        assertThat(merges.get()).isZero();
        probe.expectNoMessageQueued();
    }

    @Test
    void shouldJoinAChildStoppedByItsParentWithItsStateSoFar() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        Joinable<Map<String, Integer>, Counts, Object> joinable = Joinable.of(Counts.class,
                (Map<String, Integer> counts) -> new Counts(Map.copyOf(counts)));
        system.systemActorOf(Behaviors.<String>setup(context -> {
            ActorRef<Shard> child = context.spawnJoinable(wordCounter(), "child", joinable);
            child.tell(new Chunk(List.of("a", "b", "a"), false));
            context.stop(child);
            return Behaviors.receive((ctx, m) -> Behaviors.same(), (ctx, signal) -> {
                probe.ref().tell(signal);
                return Behaviors.same();
            });
        }), "parent");
        ChildJoined joined = (ChildJoined) probe.expectMessage();
        assertThat(joined.ref().path().name()).isEqualTo("child");
        // the stop may overtake the chunk (system messages go first): the snapshot is the state at the stop
        assertThat(joined.snapshot(Counts.class).counts()).isIn(Map.of(), Map.of("a", 2, "b", 1));
    }

    @Test
    void shouldReportAJoinableChildWithoutStateAsFailed() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        Joinable<Map<String, Integer>, Counts, Object> joinable = Joinable.of(Counts.class,
                (Map<String, Integer> counts) -> new Counts(counts));
        ActorRef<String> parent = system.systemActorOf(oneChild(Behaviors.<Shard>setup(ctx -> Behaviors.stopped()),
                joinable, probe.ref()), "parent");
        probe.expectMessage("spawned");
        ChildFailed failed = (ChildFailed) probe.expectMessage();
        assertThat(failed.cause()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be Behaviors.stateful");
        parent.tell("alive?");
        assertThat(probe.expectMessage()).isEqualTo(Map.of());
    }

    @Test
    void shouldReportAChildStoppedDuringItsBackoffAsFailedWithoutMerging() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        AtomicInteger merges = new AtomicInteger();
        Joinable<Map<String, Integer>, Counts, Map<String, Integer>> joinable = Joinable.of(Counts.class,
                (Map<String, Integer> counts) -> new Counts(Map.copyOf(counts)),
                (Map<String, Integer> parent, Counts snapshot) -> {
                    merges.incrementAndGet();
                    return merge(parent, snapshot);
                });
        Behavior<Shard> counter = Behaviors.stateful(new HashMap<String, Integer>(), (context, counts, message) -> {
            if (message instanceof Chunk chunk && chunk.fail()) {
                throw new IllegalStateException("shard fails mid-way");
            }
            return Behaviors.same();
        }, (context, counts, signal) -> {
            if (signal instanceof PreRestart) {
                probe.ref().tell("in back-off");
            }
            return Behaviors.same();
        });
        Behavior<Shard> supervised = Behaviors.supervise(counter).onFailure(IllegalStateException.class,
                SupervisorStrategy.restartWithBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1), 0));
        ActorRef<String> parent = system.systemActorOf(Behaviors.<String>setup(context -> {
            ActorRef<Shard> child = context.spawnJoinable(supervised, "child", joinable);
            child.tell(new Chunk(List.of("a"), false));
            child.tell(new Chunk(List.of("b"), true));
            return Behaviors.stateful(Map.<String, Integer>of(), (ctx, counts, message) -> {
                ctx.stop(child); // the child waits out its back-off: stop it there
                return Behaviors.same();
            }, (ctx, counts, signal) -> {
                probe.ref().tell(signal);
                return Behaviors.same();
            });
        }), "parent");
        probe.expectMessage("in back-off");
        parent.tell("stop it");
        ChildFailed failed = (ChildFailed) probe.expectMessage();
        assertThat(failed.cause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("fails mid-way");
        assertThat(merges.get()).isZero();
    }

    /** Not a record: the codec cannot carry it. */
    static final class Opaque {
    }

    @Test
    void shouldRefuseAtSpawnASnapshotTypeTheCodecCannotCarry() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        Joinable<Map<String, Integer>, Opaque, Object> joinable = Joinable.of(Opaque.class, counts -> new Opaque());
        system.systemActorOf(oneChild(wordCounter(), joinable, probe.ref()), "parent");
        assertThat(probe.expectMessage()).isInstanceOf(UnsupportedMessageException.class);
    }

    @Test
    void shouldFailAParentThatMergesWithoutState() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        Joinable<Map<String, Integer>, Counts, Map<String, Integer>> joinable = Joinable.of(Counts.class,
                (Map<String, Integer> counts) -> new Counts(Map.copyOf(counts)), JoinTest::merge);
        ActorRef<Object> watcher = system.systemActorOf(Behaviors.setup(context -> {
            context.watch(context.spawn(Behaviors.<String>setup(parent -> {
                parent.spawnJoinable(Behaviors.stateful(new HashMap<String, Integer>(),
                        (ctx, s, m) -> Behaviors.stopped()), "child", joinable).tell(new Done());
                return Behaviors.receiveMessage(m -> Behaviors.same()); // holds no state to merge into
            }), "stateless"));
            return Behaviors.receive((ctx, m) -> Behaviors.same(), (ctx, signal) -> {
                probe.ref().tell(signal);
                return Behaviors.same();
            });
        }), "watcher");
        ChildFailed failed = (ChildFailed) probe.expectMessage();
        assertThat(failed.cause()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a merging parent's behavior must be Behaviors.stateful");
        assertThat(watcher).isNotNull();
    }
}
