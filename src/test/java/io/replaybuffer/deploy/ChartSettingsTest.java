package io.replaybuffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings the chart gives the backend: explicit JVM memory that fits its limit, and the README's limits. */
class ChartSettingsTest {

    /** Native memory no JVM flag bounds (threads, GC structures, FFmpeg): measured, see docs/operations.md "Memory". */
    static final long NATIVE_HEADROOM = 256L << 20;

    @Test
    void backendJvmMemoryIsExplicitAndFitsTheContainerLimit() throws Exception {
        for (Map<String, Object> sets : List.<Map<String, Object>>of(Map.of(),
                Map.of("backend.jvm.maxHeap", "1g", "backend.resources.limits.memory", "2Gi",
                        "backend.resources.requests.memory", "2Gi"))) {
            List<String> options = ChartJvm.appended(sets);
            long budget = bytes(options, "-Xmx") + bytes(options, "-XX:MaxDirectMemorySize=")
                    + bytes(options, "-XX:MaxMetaspaceSize=") + bytes(options, "-XX:ReservedCodeCacheSize=");
            assertThat(options).as("no heap as a share of the limit").noneMatch(o -> o.contains("RAMPercentage"));
            Container backend = Manifests.named(Manifests.parse(Manifests.renderChart(sets)), Deployment.class,
                    "replay-buffer").getSpec().getTemplate().getSpec().getContainers().get(0);
            long limit = Quantity.getAmountInBytes(backend.getResources().getLimits().get("memory")).longValueExact();
            assertThat(budget + NATIVE_HEADROOM).as("%s: JVM budget + native headroom within the limit", sets)
                    .isLessThanOrEqualTo(limit);
            assertThat(backend.getResources().getRequests().get("memory")).as("request = limit: never evicted first")
                    .isEqualTo(backend.getResources().getLimits().get("memory"));
        }
        assertThat(ChartJvm.appended(Map.of())).contains("-Xmx512m", "-XX:MaxDirectMemorySize=128m");
    }

    @Test
    void chartSetsTheHardeningLimitsWithTheReadmeDefaults() throws Exception {
        Map<String, String> readme = readmeDefaults();
        Map<String, String> config = Manifests.named(Manifests.parse(Manifests.renderChart(Map.of())), ConfigMap.class,
                "replay-buffer-config").getData();
        for (String name : List.of("REPLAY_MAX_STREAMS_PER_USER", "REPLAY_MAX_STREAMS", "REPLAY_BUFFER_RATE",
                "REPLAY_CAPTURE_RATE", "REPLAY_LINK_RATE", "REPLAY_CLIP_CHANGE_RATE", "REPLAY_PREVIEW_RATE",
                "REPLAY_CAPTURE_CONCURRENCY", "REPLAY_CAPTURE_QUEUE")) {
            assertThat(config.get(name)).as(name).isNotNull().isEqualTo(readme.get(name));
        }
        assertThat(config.get("REPLAY_REPLICAS")).isEqualTo("2");
    }

    /** The README's configuration table: variable → default, for rows whose defaults are plain values. */
    private static Map<String, String> readmeDefaults() throws Exception {
        Map<String, String> defaults = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length < 4 || !cells[1].trim().startsWith("`REPLAY_")) {
                continue;
            }
            String[] names = cells[1].replace("`", "").trim().split(",\\s*");
            String[] values = cells[cells.length - 1].replace("`", "").trim().split(",\\s+");
            for (int i = 0; i < names.length && names.length == values.length; i++) {
                defaults.put(names[i], values[i]);
            }
        }
        return defaults;
    }

    private static long bytes(List<String> options, String prefix) {
        String value = options.stream().filter(o -> o.startsWith(prefix)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + options)).substring(prefix.length());
        long number = Long.parseLong(value.replaceAll("[^0-9]", ""));
        return switch (Character.toLowerCase(value.charAt(value.length() - 1))) {
            case 'k' -> number << 10;
            case 'm' -> number << 20;
            case 'g' -> number << 30;
            default -> number;
        };
    }
}
