package io.millrace.actors.codec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsupportedMessageTest {
    private final MessageCodec codec = new MessageCodec(TypeRegistry.inMemory());

    record WithThread(String name, Thread worker) {
    }

    record Outer(int id, Inner inner) {
    }

    record Inner(String label, StringBuilder text) {
    }

    record WithArrayList(ArrayList<String> names) {
    }

    record WithObject(Object payload) {
    }

    record WithElements(List<Thread> threads) {
    }

    record WithStrings(String[] names) {
    }

    sealed interface Command permits Start, Stop {
    }

    record Start(int at) implements Command {
    }

    static final class Stop implements Command {
    }

    static final class Plain {
        int value;
    }

    @Test
    void shouldNameTheRecordAndComponentOfAnUnsupportedType() {
        assertThatThrownBy(() -> codec.sizeOf(new WithThread("w", Thread.currentThread())))
                .isInstanceOf(UnsupportedMessageException.class)
                .hasMessageStartingWith("cannot encode " + WithThread.class.getName() + ".worker of type java.lang.Thread: ")
                .satisfies(e -> {
                    UnsupportedMessageException u = (UnsupportedMessageException) e;
                    assertThat(u.owner()).isEqualTo(WithThread.class.getName());
                    assertThat(u.field()).isEqualTo("worker");
                    assertThat(u.type()).isEqualTo("java.lang.Thread");
                });
    }

    @Test
    void shouldNameTheNestedRecordThatHoldsTheUnsupportedComponent() {
        assertThatThrownBy(() -> codec.check(Outer.class)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageStartingWith("cannot encode " + Inner.class.getName() + ".text of type java.lang.StringBuilder");
    }

    @Test
    void shouldRefuseALambda() {
        Supplier<String> lambda = () -> "x";

        assertThatThrownBy(() -> codec.sizeOf(lambda)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining("a lambda");
        assertThatThrownBy(() -> codec.sizeOf(new WithObject(lambda))).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining(WithObject.class.getName() + ".payload of type ")
                .hasMessageContaining("a lambda");
    }

    @Test
    void shouldRefuseAPlainClassAsMessageAndAsValueOfAnObjectComponent() {
        assertThatThrownBy(() -> codec.sizeOf(new Plain())).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining(Plain.class.getName()).hasMessageContaining("register");
        assertThatThrownBy(() -> codec.write(new WithObject(new Plain()), java.lang.foreign.MemorySegment.ofArray(
                new byte[64]), 0, 64)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageStartingWith("cannot encode " + WithObject.class.getName() + ".payload of type "
                        + Plain.class.getName());
    }

    @Test
    void shouldAskForAnInterfaceInsteadOfAConcreteCollection() {
        assertThatThrownBy(() -> codec.check(WithArrayList.class)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining(".names of type java.util.ArrayList").hasMessageContaining("declare it as List");
    }

    @Test
    void shouldNameTheElementOfACollectionOfAnUnsupportedType() {
        assertThatThrownBy(() -> codec.check(WithElements.class)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining(".threads[element] of type java.lang.Thread");
    }

    @Test
    void shouldRefuseArraysOfReferences() {
        assertThatThrownBy(() -> codec.check(WithStrings.class)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining(".names of type [Ljava.lang.String;").hasMessageContaining("use a List");
    }

    @Test
    void shouldRefuseASealedInterfaceThatPermitsAPlainClass() {
        assertThatThrownBy(() -> codec.check(Command.class)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining(Stop.class.getName()).hasMessageContaining("permitted by " + Command.class.getName());
    }

    @Test
    void shouldStayUnsupportedOnEveryAttempt() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> codec.sizeOf(new WithThread("w", null)))
                    .isInstanceOf(UnsupportedMessageException.class);
        }
    }
}
