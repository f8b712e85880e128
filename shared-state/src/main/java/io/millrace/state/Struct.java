package io.millrace.state;

import java.util.function.UnaryOperator;

/**
 * A live struct in shared memory: the super-interface of a struct declaration. The declaring interface adds one
 * accessor family per field, and its type argument is a record with the same components (names and types), the
 * struct's value as a whole:
 *
 * <pre>{@code
 * public interface Account extends Struct<Account.Value> {
 *     record Value(long balance, int transfers, @Length(16) String owner) {}
 *     long balance();                                   // read
 *     void balance(long value);                         // write
 *     long addBalance(long delta);                      // atomic add, returns the new value
 *     boolean compareAndSetBalance(long expected, long value);
 *     int transfers();
 *     @Length(16) String owner();
 *     void owner(String value);
 * }
 * }</pre>
 *
 * A single-field read is one load of shared memory. A single-field write, add or compare-and-set takes the
 * struct's owner-named lock for its one store and changes the struct's version: it is atomic against
 * {@link #update}, {@link #snapshot()} and {@link Transactions} (a transaction that read the field retries rather than
 * write over it). {@link #snapshot()} and {@link #update} see and change all fields together.
 *
 * @param <S> the record of the struct's fields
 */
public interface Struct<S extends Record> {

    /**
     * Reads every field at one instant: never a mix of two {@link #update}s, single-field writes or transactions.
     *
     * @return the fields as a new record
     */
    S snapshot();

    /**
     * Replaces every field at once: {@code fn} gets the current value, its result is written so that no snapshot
     * sees part of it. Updates of one struct are serialised across processes by an owner-named lock; a process killed
     * inside one leaves the struct as before or as after it, never locked. Single-field writes wait for it.
     *
     * @param fn computes the new value from the current one; must not return null, runs once, under the lock (so it
     *           must not write this struct's fields itself: that write would wait for the lock until the timeout)
     * @throws SharedStateException with {@code LOCK_TIMEOUT} when a live process holds the struct for 10 s
     */
    void update(UnaryOperator<S> fn);

    /** {@return this struct's index in its array} */
    int index();
}
