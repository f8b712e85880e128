package io.millrace.perf.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Relates every row to the others of its scenario and size:
 * <ul>
 *   <li>{@code ratioToBestPeer}: streams and copy, this msgs/s over the best peer's msgs/s; pingpong, the best
 *       peer's p50 over this p50. Above 1 means better than every peer. Peers are all systems but
 *       {@code millrace} and {@code limit}; null when no peer has the row.</li>
 *   <li>{@code ratioToLimit}: the same against the {@code limit} row of that scenario and size (streams: the
 *       bare SPSC probe's msgs/s; pingpong: the cache-line round trip's p50, above 64 B the copy round trip's). Null without a limit row. The actor
 *       scenarios' limit row is the raw ring's ({@link Systems#limitOf}); the Flux and pool scenarios have none.
 *       Round-trip scenarios ({@link Scenario#isRoundTrip()}) compare p50s, the others msgs/s.</li>
 *   <li>{@code ratioToCopy} (table only): a stream row's GiB/s over the copy bandwidth at that size.</li>
 * </ul>
 */
public final class Ratios {

    private Ratios() {
    }

    public static List<Row> apply(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<Row> group = rows.stream()
                    .filter(r -> r.scenario() == row.scenario() && r.size() == row.size()).toList();
            Optional<String> limitName = Systems.limitOf(row.scenario());
            Optional<Row> limit = group.stream().filter(r -> limitName.isPresent() && limitName.get().equals(r.system()))
                    .findFirst();
            List<Row> peers = group.stream().filter(r -> Systems.isPeer(r.system())).toList();
            Double toBest;
            Double toLimit;
            if (row.scenario().isRoundTrip()) {
                OptionalDouble best = peers.stream().map(Row::p50ns).filter(Objects::nonNull)
                        .mapToDouble(Summary::median).min();
                toBest = best.isPresent() ? lowerIsBetter(best.getAsDouble(), row.p50ns()) : null;
                toLimit = limit.map(Row::p50ns).map(l -> lowerIsBetter(l.median(), row.p50ns())).orElse(null);
            } else {
                OptionalDouble best = peers.stream().mapToDouble(r -> r.msgsPerSec().median()).max();
                toBest = best.isPresent() ? higherIsBetter(row.msgsPerSec(), best.getAsDouble()) : null;
                toLimit = limit.map(l -> higherIsBetter(row.msgsPerSec(), l.msgsPerSec().median())).orElse(null);
            }
            Double toCopy = null;
            if (row.scenario().isStream() && row.gibPerSec() != null) {
                toCopy = rows.stream()
                        .filter(r -> r.scenario() == Scenario.COPY && r.size() == row.size()
                                && Systems.LIMIT.equals(r.system()))
                        .findFirst().map(c -> higherIsBetter(row.gibPerSec(), c.gibPerSec().median())).orElse(null);
            }
            out.add(row.withRatios(toBest, toLimit, toCopy));
        }
        return out;
    }

    private static Double higherIsBetter(Summary value, double reference) {
        return reference > 0 ? value.median() / reference : null;
    }

    private static Double lowerIsBetter(double reference, Summary value) {
        return value != null && value.median() > 0 ? reference / value.median() : null;
    }
}
