package io.replaybuffer.deploy;

import static io.replaybuffer.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.cleanup.CleanupJob;
import io.replaybuffer.egress.LiveKitConfig;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.health.HealthGauges;
import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.InjectFakeLiveKit;
import io.restassured.path.json.JsonPath;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.SmallRyeConfig;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files stay true to the code: every metric the dashboard and the alert rules query is one the running
 * service emits, and every environment variable the manifests give the backend is one of its configuration keys.
 */
@QuarkusTest
class MonitoringContractTest {

    /** Read by the base image's run-java script, not by the service's configuration. */
    private static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS_APPEND");

    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL = Set.of("sum", "min", "max", "avg", "count", "rate", "increase",
            "histogram_quantile", "time", "absent", "by", "without", "on", "ignoring", "or", "and", "unless",
            "group_left", "group_right", "bool", "offset", "inf", "nan");
    private static final Pattern LABELS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*");

    @InjectFakeLiveKit
    FakeLiveKit fake;

    @Inject
    CleanupJob cleanup;

    @Inject
    HealthGauges health;

    @Inject
    SmallRyeConfig config;

    @Test
    void everyMetricInTheDashboardAndTheRulesIsEmitted() throws Exception {
        exerciseEveryPath();
        Set<String> emitted = new TreeSet<>();
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                emitted.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> queried = new TreeSet<>();
        JsonNode dashboard = new ObjectMapper().readTree(Path.of("helm/replay-buffer/files/dashboard.json").toFile());
        dashboard.findValues("expr").forEach(expr -> queried.addAll(metricNames(expr.asText())));
        AlertRulesTest.rules().forEach(rule -> queried.addAll(metricNames(rule.path("expr").asText())));

        assertThat(queried).as("the dashboard and rules query something").hasSizeGreaterThan(15)
                .contains("replay_buffer_active_sessions", "replay_buffer_capture_duration_seconds_bucket",
                        "http_server_requests_seconds_bucket", "jvm_memory_used_bytes");
        assertThat(emitted).as("metrics the service emits").containsAll(queried);
    }

    @Test
    void metricNamesAreReadOffQueriesNotLabelsOrFunctions() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le) (rate(a_bucket{uri!~\"/q/.*\"}[5m]))) > 3"
                + " or absent(b) unless on (instance) c{x=\"y\"}")).containsExactlyInAnyOrder("a_bucket", "b", "c");
    }

    @Test
    void everyVariableTheManifestsSetIsAConfigurationKey() throws Exception {
        Set<String> keys = configurationKeys();
        Set<String> set = new TreeSet<>();
        for (String rendering : new String[] {Manifests.renderChart(Map.of()),
                Manifests.renderChart(Map.of("livekit.url", "", "redis.enabled", false, "redis.externalHosts", "redis://r:6379",
                        "webhooks.urls", "https://game.example.com/hooks")),
                Manifests.kustomize(Path.of("k8s/overlays/production")), Manifests.kustomize(Path.of("k8s/overlays/trial"))}) {
            set.addAll(backendVariables(Manifests.parse(rendering)));
        }
        assertThat(set).as("variables given to the backend").contains("REPLAY_SEGMENTS_PATH", "LIVEKIT_API_SECRET",
                "REPLAY_EGRESS_SIMULATED", "REPLAY_WEBHOOK_URLS", "REPLAY_WEBHOOK_SECRET");
        assertThat(keys).as("configuration keys of the service").containsAll(set);
        // The check can fail: a misspelt key is not one.
        assertThat(keys).doesNotContain("REPLAY_SEGMENT_PATH", "QUARKUS_DATASOURCE_JDBCURL");
    }

    /** A buffer, its webhook, a capture, a refused capture, a sweep and a readiness check: every meter shows up. */
    private void exerciseEveryPath() throws Exception {
        Player player = Player.joining(fake, "metrics");
        JsonPath buffer = player.start(60);
        fake.emitSegments(buffer.getString("egressId"), 2);
        fake.sendWebhook(buffer.getString("egressId"), "egress_updated");
        JsonPath clip = Clips.capture(player.user(), buffer.getString("id"), Map.of("durationSeconds", 10));
        assertThat(Clips.awaitDone(player.user(), clip.getString("id")).getString("status")).isEqualTo("READY");

        Player empty = Player.joining(fake, "metrics-empty");
        JsonPath nothing = empty.start(60);
        as(empty.user()).contentType("application/json").body(Map.of("durationSeconds", 10))
                .post("/api/v1/replay-buffers/" + nothing.getString("id") + "/captures").then().statusCode(409);
        cleanup.run();
        health.check();
    }

    static Set<String> metricNames(String expr) {
        String bare = RANGES.matcher(LABELS.matcher(expr).replaceAll(" ")).replaceAll(" ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            if (!PROMQL.contains(m.group().toLowerCase(Locale.ROOT))) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** Environment variables of the backend container, including every key of the ConfigMaps it takes whole. */
    private static Set<String> backendVariables(java.util.List<HasMetadata> objects) {
        Set<String> names = new TreeSet<>();
        Container backend = Manifests.named(objects, Deployment.class, "replay-buffer").getSpec().getTemplate()
                .getSpec().getContainers().get(0);
        backend.getEnv().stream().map(EnvVar::getName).forEach(names::add);
        for (EnvFromSource source : backend.getEnvFrom()) {
            names.addAll(Manifests.named(objects, ConfigMap.class, source.getConfigMapRef().getName()).getData().keySet());
        }
        return names;
    }

    /**
     * Every name the service reads: its typed mappings' properties, every property the running configuration knows
     * (Quarkus' own, with defaults), the variables the README's configuration table (the public contract) lists, and the image's own variables, all in
     * environment-variable form.
     */
    private Set<String> configurationKeys() throws Exception {
        Set<String> keys = new TreeSet<>(IMAGE_VARIABLES);
        for (var mapping : List.of(ConfigMappings.ConfigClass.configClass(ReplayConfig.class, "replay"),
                ConfigMappings.ConfigClass.configClass(LiveKitConfig.class, "livekit"))) {
            ConfigMappings.getProperties(mapping).keySet().forEach(p -> keys.add(env(p)));
        }
        config.getPropertyNames().forEach(p -> keys.add(env(p)));
        String readme = Files.readString(Path.of("README.md")); // its configuration table is the public contract's
        String table = readme.substring(readme.indexOf("\n## Configuration"), readme.indexOf("\n## ", readme.indexOf("\n## Configuration") + 1));
        Matcher m = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(table);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static String env(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
