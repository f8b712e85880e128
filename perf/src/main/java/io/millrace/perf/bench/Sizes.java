package io.millrace.perf.bench;

import java.util.Locale;

/** Message sizes: parsing ({@code 64}, {@code 1024}, {@code 1k}, {@code 1KiB}, {@code 64KiB}) and display. */
public final class Sizes {

    /** Smallest message: the 8-byte header. */
    public static final int MIN = 8;
    /** Largest message the harness runs (every ring is sized for it). */
    public static final int MAX = 1 << 20;

    private Sizes() {
    }

    /** Parses one size; the message of the exception names the value and says what is accepted. */
    public static int parse(String text) {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (lower.endsWith("kib") || lower.endsWith("k")) {
            unit = 1024;
            lower = lower.substring(0, lower.length() - (lower.endsWith("kib") ? 3 : 1));
        } else if (lower.endsWith("mib") || lower.endsWith("m")) {
            unit = 1024 * 1024;
            lower = lower.substring(0, lower.length() - (lower.endsWith("mib") ? 3 : 1));
        } else if (lower.endsWith("b")) {
            lower = lower.substring(0, lower.length() - 1);
        }
        long value;
        try {
            value = Long.parseLong(lower.strip()) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a message size in bytes"
                    + " (examples: 64, 1024, 1KiB, 64KiB)");
        }
        if (value < MIN || value > MAX) {
            throw new IllegalArgumentException("'" + text + "' is outside the message sizes " + MIN + ".." + MAX
                    + " bytes");
        }
        return (int) value;
    }

    /** 64 B, 1 KiB, 64 KiB, 1 MiB; other values in bytes. */
    public static String format(int size) {
        if (size >= 1 << 20 && size % (1 << 20) == 0) {
            return (size >> 20) + " MiB";
        }
        if (size >= 1024 && size % 1024 == 0) {
            return (size >> 10) + " KiB";
        }
        return size + " B";
    }
}
