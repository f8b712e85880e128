package io.millrace.examples;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Figures for people: thousands separators, sizes in KiB/MiB, times of day, and aligned tables. */
final class Formats {
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Formats() {
    }

    /** {@code 4000000} as {@code 4,000,000}, the same in every locale. */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** {@code 1, "message"} as {@code 1 message}, {@code 4000000, "message"} as {@code 4,000,000 messages}. */
    static String count(long value, String noun) {
        return count(value) + " " + (value == 1 ? noun : noun + "s");
    }

    /** {@code 1234.5} as {@code 1,234.5}. */
    static String decimal(double value, int digits) {
        return String.format(Locale.ROOT, "%,." + digits + "f", value);
    }

    /** A byte count: {@code 512 B}, {@code 16 KiB}, {@code 1.5 MiB}, {@code 2 GiB}. */
    static String bytes(long value) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double scaled = value;
        int unit = 0;
        while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }
        if (unit == 0) {
            return value + " B";
        }
        String number = scaled == Math.rint(scaled) ? count((long) scaled) : decimal(scaled, 1);
        return number + " " + units[unit];
    }

    /** Epoch milliseconds as a local date and time. */
    static String timeOfDay(long epochMillis) {
        return TIME_OF_DAY.format(Instant.ofEpochMilli(epochMillis));
    }

    /** A checksum as 16 hexadecimal digits. */
    static String hex(long value) {
        return String.format(Locale.ROOT, "0x%016x", value);
    }

    /**
     * A table with a header row, columns padded to their widest cell; columns named in {@code rightAligned}
     * (by index) are aligned right, for figures.
     */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final boolean[] right;

        Table(String... header) {
            rows.add(header);
            right = new boolean[header.length];
        }

        Table alignRight(int... columns) {
            for (int column : columns) {
                right[column] = true;
            }
            return this;
        }

        Table row(Object... cells) {
            rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
            return this;
        }

        /** The table, each line starting with {@code indent} and ending with a newline. */
        String render(String indent) {
            int[] widths = new int[right.length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder(indent);
                for (int i = 0; i < row.length; i++) {
                    String pad = " ".repeat(widths[i] - row[i].length());
                    line.append(right[i] ? pad + row[i] : row[i] + pad);
                    if (i < row.length - 1) {
                        line.append("  ");
                    }
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
            return out.toString();
        }
    }
}
