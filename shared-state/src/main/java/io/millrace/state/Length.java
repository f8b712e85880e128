package io.millrace.state;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The fixed capacity in bytes of a {@code String} (UTF-8) or {@code byte[]} field of a struct, 1 to 65535; required
 * for those fields. On the getter of a struct interface, or on a record component.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.RECORD_COMPONENT})
public @interface Length {
    /** {@return the field's capacity in bytes} */
    int value();
}
