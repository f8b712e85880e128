package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoleTest {

    @Test
    void shouldRunTheBodyOfEachRoleAndRefuseTheCopier() throws Exception {
        List<String> ran = new ArrayList<>();
        for (Role role : List.of(Role.CONSUMER, Role.PRODUCER, Role.PONGER, Role.PINGER)) {
            role.dispatch(() -> ran.add("consumer"), () -> ran.add("producer"), () -> ran.add("ponger"),
                    () -> ran.add("pinger"));
        }
        assertThat(ran).containsExactly("consumer", "producer", "ponger", "pinger");
        assertThatThrownBy(() -> Role.COPIER.dispatch(() -> { }, () -> { }, () -> { }, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role copier");
    }
}
