package io.millrace.perf.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the rows as a JSON array, one object per row, with exactly the fields {@code system}, {@code scenario},
 * {@code size}, {@code msgsPerSec}, {@code gibPerSec}, {@code p50ns}, {@code p99ns}, {@code p999ns},
 * {@code ratioToBestPeer}, {@code ratioToLimit}, {@code consumerCpuShare} (consumer thread CPU time over wall
 * time, 0..1), {@code msgsPerCpuSec} (messages per consumer CPU-second); medians, {@code null} where not measured.
 */
public final class JsonWriter {

    private JsonWriter() {
    }

    public static void write(List<Row> rows, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(rows), StandardCharsets.UTF_8);
    }

    public static String toJson(List<Row> rows) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("  {");
            field(sb, "system", string(r.system()), true);
            field(sb, "scenario", string(r.scenario().id()), false);
            field(sb, "size", Integer.toString(r.size()), false);
            field(sb, "msgsPerSec", number(r.msgsPerSec(), 1), false);
            field(sb, "gibPerSec", number(r.gibPerSec(), 4), false);
            field(sb, "p50ns", number(r.p50ns(), 1), false);
            field(sb, "p99ns", number(r.p99ns(), 1), false);
            field(sb, "p999ns", number(r.p999ns(), 1), false);
            field(sb, "ratioToBestPeer", number(r.ratioToBestPeer(), 4), false);
            field(sb, "ratioToLimit", number(r.ratioToLimit(), 4), false);
            field(sb, "consumerCpuShare", number(r.consumerCpuShare(), 4), false);
            field(sb, "msgsPerCpuSec", number(r.msgsPerCpuSec(), 1), false);
            sb.append('}');
        }
        return sb.append(rows.isEmpty() ? "]\n" : "\n]\n").toString();
    }

    private static void field(StringBuilder sb, String name, String value, boolean first) {
        if (!first) {
            sb.append(", ");
        }
        sb.append('"').append(name).append("\": ").append(value);
    }

    private static String number(Summary s, int decimals) {
        return s == null ? "null" : number(s.median(), decimals);
    }

    private static String number(Double d, int decimals) {
        if (d == null || d.isNaN() || d.isInfinite()) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", d);
    }

    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
