package io.millrace.perf.bench;

import java.util.Arrays;
import java.util.Collection;

/** The median of a figure over repetitions, with its spread. */
public record Summary(double median, double min, double max, int count) {

    /** Median (mean of the two middle values for an even count), minimum and maximum. */
    public static Summary of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new Summary(median, sorted[0], sorted[n - 1], n);
    }

    public static Summary of(Collection<? extends Number> values) {
        return of(values.stream().mapToDouble(Number::doubleValue).toArray());
    }
}
