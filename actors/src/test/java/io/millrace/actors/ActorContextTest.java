package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class ActorContextTest extends ActorTestKit {

    /** Runs the function with the actor's context, on its thread, and tells the probe what it returned or threw. */
    record Run(Function<ActorContext<Object>, Object> action) {
    }

    private static Behavior<Object> runner(ActorRef<Object> probe) {
        return Behaviors.receive((context, message) -> {
            if (message instanceof Run run) {
                Object result;
                try {
                    result = run.action().apply(context);
                } catch (RuntimeException e) {
                    result = e;
                }
                probe.tell(result == null ? "null" : result);
            } else {
                probe.tell(message);
            }
            return Behaviors.same();
        });
    }

    private static Behavior<String> reporting(String name, ActorRef<Object> probe) {
        return Behaviors.receive((context, message) -> {
            probe.tell(name + ":" + message);
            return Behaviors.same();
        }, (context, signal) -> {
            probe.tell(name + ":" + signal.getClass().getSimpleName());
            return Behaviors.same();
        });
    }

    @Test
    void shouldSpawnChildrenUnderTheParentsPathAndListThem() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> parent = system.systemActorOf(runner(probe.ref()), "parent");
        parent.tell(new Run(context -> context.spawn(reporting("a", probe.ref()), "a")));
        @SuppressWarnings("unchecked")
        ActorRef<String> a = (ActorRef<String>) probe.expectMessage();
        assertThat(a.path().path()).isEqualTo("/system/parent/a");
        assertThat(a.path().node()).isEqualTo(system.nodeId());
        a.tell("hello");
        probe.expectMessage("a:hello");
        parent.tell(new Run(context -> context.spawnAnonymous(Behaviors.ignore()).path().name()));
        probe.expectMessage("$a");
        parent.tell(new Run(context -> context.spawnAnonymous(Behaviors.ignore()).path().name()));
        probe.expectMessage("$b");
        parent.tell(new Run(context -> context.getChildren().stream().map(r -> r.path().name()).sorted().toList()));
        assertThat(probe.expectMessage()).isEqualTo(List.of("$a", "$b", "a"));
        parent.tell(new Run(context -> context.getChild("a").orElseThrow()));
        assertThat(probe.expectMessage()).isEqualTo(a);
        parent.tell(new Run(context -> context.getChild("none").isPresent()));
        probe.expectMessage(false);
    }

    @Test
    void shouldRefuseInvalidAndDuplicateNamesNamingThem() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> parent = system.systemActorOf(runner(probe.ref()), "parent");
        parent.tell(new Run(context -> context.spawn(Behaviors.ignore(), "twin")));
        probe.expectMessageClass(ActorRef.class);
        parent.tell(new Run(context -> context.spawn(Behaviors.ignore(), "twin")));
        assertThat(probe.expectMessageClass(InvalidActorNameException.class))
                .hasMessageContaining("name=twin is taken").hasMessageContaining("/system/parent");
        for (String bad : new String[] {"", "a/b", "$x", "a b", "x#1"}) {
            parent.tell(new Run(context -> context.spawn(Behaviors.ignore(), bad)));
            assertThat(probe.expectMessageClass(InvalidActorNameException.class)).hasMessageContaining("name=" + bad);
        }
    }

    @Test
    void shouldStopChildrenBeforeTheParentAndFreeTheNameOnceStopped() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> parent = system.systemActorOf(runner(probe.ref()), "parent");
        parent.tell(new Run(context -> context.spawn(Behaviors.<String>setup(c -> {
            c.spawn(reporting("grandchild", probe.ref()), "grandchild");
            return reporting("child", probe.ref());
        }), "child")));
        @SuppressWarnings("unchecked")
        ActorRef<String> child = (ActorRef<String>) probe.expectMessage();
        child.tell("ping");
        probe.expectMessage("child:ping");
        parent.tell(new Run(context -> {
            context.stop(child);
            return "stopping";
        }));
        probe.expectMessage("stopping");
        probe.expectMessage("grandchild:PostStop");
        probe.expectMessage("child:PostStop");
        parent.tell(new Run(context -> context.spawn(Behaviors.ignore(), "child").path().name()));
        probe.expectMessage("child");
    }

    @Test
    void shouldRefuseToStopAnActorThatIsNotAChild() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> parent = system.systemActorOf(runner(probe.ref()), "parent");
        parent.tell(new Run(context -> {
            context.stop(probe.ref());
            return "stopped";
        }));
        assertThat(probe.expectMessageClass(IllegalArgumentException.class))
                .hasMessageContaining("is not a child of actor=");
    }

    @Test
    void shouldRefuseContextUseFromAnotherThreadNamingActorAndThread() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> actor = system.systemActorOf(runner(probe.ref()), "leaky");
        actor.tell(new Run(context -> context));
        @SuppressWarnings("unchecked")
        ActorContext<Object> leaked = (ActorContext<Object>) probe.expectMessage();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                leaked.spawn(Behaviors.ignore(), "x");
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        }, "foreign-thread");
        thread.start();
        assertThat(failure.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/system/leaky").hasMessageContaining("thread=foreign-thread");
        thread.join();
        // a context used by another actor on the same lane thread is refused too
        ActorRef<Object> other = system.systemActorOf(runner(probe.ref()), "other");
        other.tell(new Run(context -> leaked.getChildren()));
        assertThat(probe.expectMessageClass(IllegalStateException.class)).hasMessageContaining("/system/leaky");
        assertThat(leaked.getSelf()).isEqualTo(actor);
    }

    @Test
    void shouldAdaptMessagesOnTheActorsThreadAndReuseTheAdapterPerClass() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> actor = system.systemActorOf(runner(probe.ref()), "adapting");
        actor.tell(new Run(context -> context.messageAdapter(Integer.class, i -> "adapted " + i + " on "
                + Thread.currentThread().getName().contains("-lane-"))));
        @SuppressWarnings("unchecked")
        ActorRef<Integer> adapter = (ActorRef<Integer>) probe.expectMessage();
        adapter.tell(5);
        probe.expectMessage("adapted 5 on true");
        actor.tell(new Run(context -> context.messageAdapter(Integer.class, i -> "again " + i)));
        assertThat(probe.expectMessage()).isEqualTo(adapter);
        adapter.tell(6);
        probe.expectMessage("again 6");
    }

    @Test
    void shouldPipeCompletedStagesToSelfAsMessages() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> actor = system.systemActorOf(runner(probe.ref()), "piping");
        CompletableFuture<String> ok = new CompletableFuture<>();
        CompletableFuture<String> bad = new CompletableFuture<>();
        actor.tell(new Run(context -> {
            context.pipeToSelf(ok, (value, failure) -> "ok " + value + " " + failure);
            context.pipeToSelf(bad.thenApply(s -> s), (value, failure) -> "bad " + value + " " + failure.getMessage());
            return "piped";
        }));
        probe.expectMessage("piped");
        ok.complete("v");
        probe.expectMessage("ok v null");
        bad.completeExceptionally(new IllegalStateException("nope"));
        probe.expectMessage("bad null nope");
    }

    @Test
    void shouldAskFromAnActorAndGetTheReplyOrTheTimeoutAsAMessage() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        record Question(String text, ActorRef<String> replyTo) {
        }
        ActorRef<Question> answering = system.systemActorOf(Behaviors.receiveMessage(q -> {
            q.replyTo().tell("answer to " + q.text());
            return Behaviors.same();
        }), "answering");
        ActorRef<Question> silent = system.systemActorOf(Behaviors.ignore(), "silent");
        ActorRef<Object> actor = system.systemActorOf(runner(probe.ref()), "asking");
        actor.tell(new Run(context -> {
            context.ask(String.class, answering, Duration.ofSeconds(10), r -> new Question("q", r),
                    (reply, failure) -> "reply " + reply);
            context.ask(String.class, silent, Duration.ofMillis(50), r -> new Question("q", r),
                    (reply, failure) -> failure);
            return "asked";
        }));
        assertThat(probe.receiveMessages(3)).contains("asked", "reply answer to q").anySatisfy(m ->
                assertThat(m).isInstanceOf(AskTimeoutException.class)
                        .asString().contains("/system/silent").contains(Question.class.getName()));
    }
}
