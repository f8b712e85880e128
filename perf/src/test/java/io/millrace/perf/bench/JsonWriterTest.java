package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class JsonWriterTest {

    private static final List<String> FIELDS = List.of("system", "scenario", "size", "msgsPerSec", "gibPerSec",
            "p50ns", "p99ns", "p999ns", "ratioToBestPeer", "ratioToLimit", "consumerCpuShare", "msgsPerCpuSec");

    private static Row streamRow() {
        return new Row("agrona", Scenario.SPSC, 64, Summary.of(1_500_000.25, 1_000_000, 2_000_000),
                Summary.of(0.0894), null, null, null, 0.5, 0.125, 0.9, null, Summary.of(0.8125), Summary.of(1_846_154.5));
    }

    private static Row pingRow() {
        return new Row("tcp", Scenario.PINGPONG, 1024, Summary.of(50_000), null,
                Summary.of(9_000, 9_100, 8_900), Summary.of(20_000.5), Summary.of(90_000), null, null, null, "n");
    }

    @Test
    void shouldWriteOneObjectPerRowWithExactlyTheAgreedFieldsInOrder() {
        String json = JsonWriter.toJson(List.of(streamRow(), pingRow()));
        List<List<String>> keysPerObject = new ArrayList<>();
        Matcher objects = Pattern.compile("\\{([^}]*)}").matcher(json);
        while (objects.find()) {
            List<String> keys = new ArrayList<>();
            Matcher k = Pattern.compile("\"(\\w+)\":").matcher(objects.group(1));
            while (k.find()) {
                keys.add(k.group(1));
            }
            keysPerObject.add(keys);
        }
        assertThat(keysPerObject).hasSize(2).allSatisfy(keys -> assertThat(keys).containsExactlyElementsOf(FIELDS));
        assertThat(json.strip()).startsWith("[").endsWith("]");
    }

    @Test
    void shouldWriteMediansAndNullWhereNotMeasured() {
        String json = JsonWriter.toJson(List.of(streamRow(), pingRow()));
        assertThat(json).contains("{\"system\": \"agrona\", \"scenario\": \"spsc\", \"size\": 64, "
                + "\"msgsPerSec\": 1500000.3, \"gibPerSec\": 0.0894, \"p50ns\": null, \"p99ns\": null, "
                + "\"p999ns\": null, \"ratioToBestPeer\": 0.5000, \"ratioToLimit\": 0.1250, "
                + "\"consumerCpuShare\": 0.8125, \"msgsPerCpuSec\": 1846154.5}");
        assertThat(json).contains("{\"system\": \"tcp\", \"scenario\": \"pingpong\", \"size\": 1024, "
                + "\"msgsPerSec\": 50000, \"gibPerSec\": null, \"p50ns\": 9000, \"p99ns\": 20000.5, "
                + "\"p999ns\": 90000, \"ratioToBestPeer\": null, \"ratioToLimit\": null, "
                + "\"consumerCpuShare\": null, \"msgsPerCpuSec\": null}");
    }

    @Test
    void shouldWriteAnEmptyArrayForNoRows() {
        assertThat(JsonWriter.toJson(List.of()).strip()).isEqualTo("[]");
    }

    @Test
    void shouldEscapeStrings() {
        assertThat(JsonWriter.string("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void shouldWriteTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/x.json");
        JsonWriter.write(List.of(streamRow()), file);
        assertThat(Files.readString(file)).isEqualTo(JsonWriter.toJson(List.of(streamRow())));
    }
}
