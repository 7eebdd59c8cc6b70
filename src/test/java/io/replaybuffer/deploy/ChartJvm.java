package io.replaybuffer.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM command line a backend pod runs: the base image's own options (its run-java.sh puts them first) followed by
 * the chart's JAVA_OPTS_APPEND, rendered from the chart. The soak benchmark runs the service with exactly these.
 */
public final class ChartJvm {

    /**
     * What run-java.sh of ubi9/openjdk-17-runtime (src/main/docker/Dockerfile.jvm) puts before JAVA_OPTS_APPEND: the
     * parallel collector with a heap that shrinks back when idle. Later options win, so the chart's -Xmx beats
     * MaxRAMPercentage.
     */
    static final List<String> IMAGE = List.of("-XX:MaxRAMPercentage=80.0", "-XX:+UseParallelGC",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
            "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError");

    private ChartJvm() {
    }

    /** The chart's JAVA_OPTS_APPEND with {@code sets} (Helm --set), split into options. */
    static List<String> appended(Map<String, Object> sets) throws Exception {
        Deployment backend = Manifests.named(Manifests.parse(Manifests.renderChart(sets)), Deployment.class,
                Manifests.RELEASE);
        String value = backend.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_OPTS_APPEND")).map(EnvVar::getValue).findFirst().orElseThrow();
        return List.of(value.trim().split("\\s+"));
    }

    /** The whole command line's options with the chart's defaults. */
    public static List<String> backendOptions() throws Exception {
        List<String> options = new ArrayList<>(IMAGE);
        options.addAll(appended(Map.of()));
        return options;
    }
}
