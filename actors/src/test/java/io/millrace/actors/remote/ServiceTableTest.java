package io.millrace.actors.remote;

import io.millrace.actors.ActorPath;
import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceTableTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private static final ActorPath A = new ActorPath("sys", 1, "/user/a", 10);
    private static final ActorPath B = new ActorPath("sys", 2, "/user/b", 20);

    @Test
    void shouldFindRegistrationsOfEveryAttachedTableUntilDeregistered() {
        try (ServiceTable one = ServiceTable.open(shm.directory(), Duration.ofSeconds(1));
             ServiceTable two = ServiceTable.open(shm.directory(), Duration.ofSeconds(1))) {
            long before = two.generation();
            one.register("counter", A);
            two.register("counter", B);
            two.register("other", B);
            assertThat(two.generation()).isNotEqualTo(before);
            assertThat(two.find("counter")).containsExactly(A, B);
            assertThat(one.find("other")).containsExactly(B);
            assertThat(one.find("nobody")).isEmpty();
            assertThat(one.deregister("counter", A)).isEqualTo(1);
            assertThat(two.find("counter")).containsExactly(B);
            assertThat(two.deregisterNode(2)).isEqualTo(2);
            assertThat(one.find("counter")).isEmpty();
            shm.directory().unlink(ServiceTable.REGION);
        }
    }

    @Test
    void shouldRefuseKeysAndPathsTooLongForAnEntry() {
        try (ServiceTable table = ServiceTable.open(shm.directory(), Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> table.register("k".repeat(200), A)).hasMessageContaining("key=")
                    .hasMessageContaining("at most 127");
            assertThatThrownBy(() -> table.register("k", new ActorPath("s", 1, "/" + "p".repeat(200), 1)))
                    .hasMessageContaining("path=");
            assertThat(table.find("k")).isEmpty();
            shm.directory().unlink(ServiceTable.REGION);
        }
    }

    @Test
    void shouldSeeAnotherProcessRegistrationAndDropItOnceThatProcessIsKilled() throws Exception {
        try (ServiceTable table = ServiceTable.open(shm.directory(), Duration.ofSeconds(1));
             ChildJvm child = ChildJvm.start(ServiceTableChild.class, shm.path().toString(), "workers")) {
            child.awaitLine("REGISTERED", Duration.ofSeconds(30));
            assertThat(table.find("workers")).containsExactly(new ActorPath("child", 77, "/user/worker", 5));
            assertThat(table.reclaimDead()).isZero();
            child.kill();
            long before = table.generation();
            assertThat(table.reclaimDead()).isEqualTo(1);
            assertThat(table.generation()).isNotEqualTo(before);
            assertThat(table.find("workers")).isEmpty();
            shm.directory().unlink(ServiceTable.REGION);
        }
    }
}
