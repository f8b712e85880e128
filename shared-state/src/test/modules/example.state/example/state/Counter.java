package example.state;

import io.millrace.state.Struct;

/** A struct of this module: its flyweight is generated into io.millrace.state. */
public interface Counter extends Struct<Counter.Value> {
    /** The snapshot. */
    record Value(long hits, long misses) {
    }

    long hits();

    long addHits(long delta);

    long misses();

    void misses(long value);
}
