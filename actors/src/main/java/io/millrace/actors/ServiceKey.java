package io.millrace.actors;

import java.util.Objects;

/**
 * The name under which actors register with the {@link Receptionist}: an id and the class of the messages the
 * service accepts. Two keys are equal if both are.
 *
 * @param id           the service's id, not blank
 * @param messageClass the messages the registered actors accept
 * @param <T>          those messages
 */
public record ServiceKey<T>(String id, Class<T> messageClass) {

    public ServiceKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(messageClass, "messageClass");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id='" + id + "' must not be blank");
        }
    }

    /**
     * A key (Pekko's argument order).
     *
     * @param messageClass the messages the service accepts
     * @param id           the service's id
     * @param <T>          those messages
     * @return the key
     */
    public static <T> ServiceKey<T> create(Class<T> messageClass, String id) {
        return new ServiceKey<>(id, messageClass);
    }
}
