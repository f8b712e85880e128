package io.millrace.state;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lays the field out alone on 128 bytes (two cache lines, against the adjacent-line prefetcher), so that processes
 * hammering it do not slow the fields beside it. On the getter of a struct interface, or on a record component.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.RECORD_COMPONENT})
public @interface Padded {
}
