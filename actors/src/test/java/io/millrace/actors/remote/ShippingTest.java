package io.millrace.actors.remote;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShippingTest {
    interface Factory<T> extends Supplier<T>, Serializable {
    }

    record Settings(String name, int size, List<String> tags) implements Serializable {
    }

    private static final ClassLoader LOADER = ShippingTest.class.getClassLoader();

    @Test
    void shouldShipALambdaWithItsCapturedValuesToBeRebuilt() {
        int size = 42;
        Settings settings = new Settings("s", 3, List.of("a", "b"));
        Factory<String> factory = () -> settings.name() + size + settings.tags();
        Object back = Shipping.unship(Shipping.ship(factory), LOADER, Set.of());
        assertThat(back).isInstanceOf(Factory.class);
        assertThat(((Factory<?>) back).get()).isEqualTo("s42[a, b]");
    }

    @Test
    void shouldShipAMethodReference() {
        Factory<String> factory = ShippingTest::hello;
        assertThat(((Factory<?>) Shipping.unship(Shipping.ship(factory), LOADER, Set.of())).get()).isEqualTo("hello");
    }

    @Test
    void shouldRefuseALambdaThatIsNotSerializableBeforeSending() {
        Supplier<String> plain = () -> "x";
        assertThatThrownBy(() -> Shipping.ship(plain)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ShippingTest").hasMessageContaining("not Serializable");
    }

    @Test
    void shouldNameTheCapturedValueThatIsNotSerializable() {
        Thread thread = Thread.currentThread();
        Factory<String> factory = () -> thread.getName();
        assertThatThrownBy(() -> Shipping.ship(factory)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures a java.lang.Thread").hasMessageContaining("captured value 0");
    }

    @Test
    void shouldRejectClassesOutsideTheFilterNamingThem() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(List.of("a"))); // mutable collections are not what a factory needs
        }
        assertThatThrownBy(() -> Shipping.unship(bytes.toByteArray(), LOADER, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.util.ArrayList");
        assertThat(Shipping.unship(bytes.toByteArray(), LOADER, Set.of(ArrayList.class))).isEqualTo(List.of("a"));
    }

    @Test
    void shouldRefuseCorruptBytesWithANamedError() {
        assertThatThrownBy(() -> Shipping.unship(new byte[] {1, 2, 3}, LOADER, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("could not be read");
    }

    private static String hello() {
        return "hello";
    }
}
