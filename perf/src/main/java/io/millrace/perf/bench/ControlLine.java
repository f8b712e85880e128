package io.millrace.perf.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A line a child writes to tell the harness something, on stdout (or stderr where stdout carries data):
 * <pre>
 * &#64;&#64;bench READY [key=value ...]
 * &#64;&#64;bench RESULT rep=1 msgs=123 nanos=456 [p50=.. p99=.. p999=..] [cpu=..]
 * &#64;&#64;bench ERROR free text
 * </pre>
 * Any other line is the child's own output (logs, warnings) and is kept for error reports.
 */
public record ControlLine(Kind kind, Map<String, String> fields, String text) {

    public static final String PREFIX = "@@bench ";

    public enum Kind { READY, RESULT, ERROR }

    public static String ready(Map<String, String> props) {
        StringBuilder sb = new StringBuilder(PREFIX).append("READY");
        props.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    public static String result(RepResult r) {
        StringBuilder sb = new StringBuilder(PREFIX).append("RESULT rep=").append(r.rep())
                .append(" msgs=").append(r.messages()).append(" nanos=").append(r.nanos());
        if (r.p50ns() != null) {
            sb.append(" p50=").append(r.p50ns()).append(" p99=").append(r.p99ns()).append(" p999=").append(r.p999ns());
        }
        if (r.cpuNanos() != null) {
            sb.append(" cpu=").append(r.cpuNanos());
        }
        return sb.toString();
    }

    public static String error(String message) {
        return PREFIX + "ERROR " + message.replace('\n', ' ');
    }

    /** Parses a control line, or empty for the child's ordinary output. */
    public static Optional<ControlLine> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = line.substring(PREFIX.length()).strip();
        int sp = rest.indexOf(' ');
        String word = sp < 0 ? rest : rest.substring(0, sp);
        String tail = sp < 0 ? "" : rest.substring(sp + 1).strip();
        Kind kind;
        try {
            kind = Kind.valueOf(word);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (kind != Kind.ERROR && !tail.isEmpty()) {
            for (String pair : tail.split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return Optional.of(new ControlLine(kind, fields, tail));
    }

    /** The repetition result in a {@code RESULT} line. */
    public RepResult toRepResult() {
        return new RepResult(Integer.parseInt(fields.get("rep")), Long.parseLong(fields.get("msgs")),
                Long.parseLong(fields.get("nanos")), longOrNull("p50"), longOrNull("p99"), longOrNull("p999"), longOrNull("cpu"));
    }

    private Long longOrNull(String key) {
        String v = fields.get(key);
        return v == null ? null : Long.valueOf(v);
    }
}
