package io.millrace.reactive;

import java.util.List;
import java.util.Optional;

/** Element types for the message-codec streams: records with nested records, lists, enums, a sealed interface. */
final class Orders {
    private Orders() {
    }

    enum Status { NEW, PAID, SHIPPED }

    record Address(String street, String city) {
    }

    record Line(String sku, int quantity, double price) {
    }

    record Order(long id, String customer, List<Line> lines, Status status, Optional<Address> shipTo) {
    }

    sealed interface Event permits Placed, Cancelled {
    }

    record Placed(Order order) implements Event {
    }

    record Cancelled(long orderId, String reason) implements Event {
    }

    /** A thread is not a message: the codec cannot carry {@code owner}. */
    record Uncarried(String name, Thread owner) {
    }

    /** The {@code i}th order: its shape varies with {@code i} (lines, status, address or none). */
    static Order order(int i) {
        List<Line> lines = new java.util.ArrayList<>();
        for (int l = 0; l < i % 4; l++) {
            lines.add(new Line("sku-" + i + "-" + l, l + 1, 0.5 * i + l));
        }
        Optional<Address> shipTo = i % 3 == 0 ? Optional.empty() : Optional.of(new Address(i + " Mill St", "Weir"));
        return new Order(i, "customer-" + i, List.copyOf(lines), Status.values()[i % 3], shipTo);
    }

    /** Placed for even {@code i}, Cancelled for odd. */
    static Event event(int i) {
        return i % 2 == 0 ? new Placed(order(i)) : new Cancelled(i, "reason " + i);
    }
}
