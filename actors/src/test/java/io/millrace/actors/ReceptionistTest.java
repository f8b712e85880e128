package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReceptionistTest extends ActorTestKit {

    private static final ServiceKey<String> KEY = ServiceKey.create(String.class, "greeter");

    @Test
    void shouldFindRegisteredServicesAndReplyRegistered() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<String> greeter = system.systemActorOf(Behaviors.ignore(), "greeter");
        system.receptionist().tell(Receptionist.register(KEY, greeter, probe.ref().narrow()));
        assertThat(probe.expectMessage()).isEqualTo(new Receptionist.Registered(KEY, greeter));
        system.receptionist().tell(Receptionist.find(KEY, probe.ref().narrow()));
        Receptionist.Listing listing = probe.expectMessageClass(Receptionist.Listing.class);
        assertThat(listing.isForKey(KEY)).isTrue();
        assertThat(listing.getServiceInstances(KEY)).containsExactly(greeter);
        assertThatThrownBy(() -> listing.getServiceInstances(ServiceKey.create(String.class, "other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other");
    }

    @Test
    void shouldKeepOnThisNodeAServiceTheHostWideTableCannotTake() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ServiceKey<String> longKey = ServiceKey.create(String.class, "k".repeat(200)); // an entry holds 127 bytes
        ActorRef<String> greeter = system.systemActorOf(Behaviors.ignore(), "greeter");
        system.receptionist().tell(Receptionist.register(longKey, greeter, probe.ref().narrow()));
        assertThat(probe.expectMessage()).isEqualTo(new Receptionist.Registered(longKey, greeter));
        assertThat(Receptionist.lookup(system, longKey, Duration.ofSeconds(10))).containsExactly(greeter);
        system.receptionist().tell(Receptionist.register(KEY, greeter, probe.ref().narrow()));
        assertThat(probe.expectMessage()).as("the receptionist still runs")
                .isEqualTo(new Receptionist.Registered(KEY, greeter));
    }

    @Test
    void shouldNotifySubscribersOfRegistrationsDeregistrationsAndStoppedServices() {
        ActorSystem<Void> system = system();
        TestProbe<Receptionist.Listing> subscriber = TestProbe.create(system);
        TestProbe<Object> probe = TestProbe.create(system);
        system.receptionist().tell(Receptionist.subscribe(KEY, subscriber.ref()));
        assertThat(subscriber.expectMessage().getServiceInstances(KEY)).isEmpty();
        ActorRef<String> a = system.systemActorOf(Behaviors.ignore(), "a");
        ActorRef<String> b = system.systemActorOf(Behaviors.receiveMessage(m -> Behaviors.stopped()), "b");
        system.receptionist().tell(Receptionist.register(KEY, a));
        assertThat(subscriber.expectMessage().getServiceInstances(KEY)).containsExactly(a);
        system.receptionist().tell(Receptionist.register(KEY, b));
        assertThat(subscriber.expectMessage().getServiceInstances(KEY)).containsExactlyInAnyOrder(a, b);
        system.receptionist().tell(Receptionist.deregister(KEY, a, probe.ref().narrow()));
        assertThat(subscriber.expectMessage().getServiceInstances(KEY)).containsExactly(b);
        assertThat(probe.expectMessage()).isEqualTo(new Receptionist.Deregistered(KEY, a));
        b.tell("stop");
        assertThat(subscriber.expectMessage().getServiceInstances(KEY)).isEmpty();
    }

    @Test
    void shouldNotKeepAServiceThatStoppedBeforeItsRegistrationArrived() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        ActorRef<String> gone = system.systemActorOf(Behaviors.setup(c -> Behaviors.stopped(() ->
                stopped.complete(null))), "gone");
        stopped.get(10, TimeUnit.SECONDS);
        system.receptionist().tell(Receptionist.register(KEY, gone, probe.ref().narrow()));
        probe.expectMessageClass(Receptionist.Registered.class);
        system.receptionist().tell(Receptionist.find(KEY, probe.ref().narrow()));
        assertThat(probe.expectMessageClass(Receptionist.Listing.class).instances()).isEmpty();
    }

    @Test
    void shouldLookUpFromOutsideActorsOnceAServiceRegisters() {
        ActorSystem<Void> system = system();
        ActorRef<String> greeter = system.systemActorOf(Behaviors.ignore(), "greeter");
        CompletableFuture<Set<ActorRef<String>>> found = CompletableFuture.supplyAsync(() ->
                Receptionist.lookup(system, KEY, Duration.ofSeconds(10)));
        system.receptionist().tell(Receptionist.register(KEY, greeter));
        assertThat(found.join()).containsExactly(greeter);
    }

    @Test
    void shouldTimeOutALookupNamingTheKey() {
        ActorSystem<Void> system = system();
        assertThatThrownBy(() -> Receptionist.lookup(system, KEY, Duration.ofMillis(50)))
                .isInstanceOf(LookupTimeoutException.class).hasMessageContaining("key=greeter")
                .hasMessageContaining("PT0.05S");
    }

    @Test
    void shouldRefuseBlankKeys() {
        assertThatThrownBy(() -> ServiceKey.create(String.class, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id=' '");
    }
}
