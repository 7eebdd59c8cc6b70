package io.replaybuffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Helm chart and the Kustomize overlays render valid objects that say what the issue and the seed ask. */
class DeploymentFilesTest {

    @Test
    void chartPassesHelmLintStrict() {
        LintResult lint = new Helm(Manifests.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void kustomizeBaseIsTheChartsRenderingNotADriftingCopy() throws Exception {
        assertThat(Files.readString(Manifests.BASE)).as("k8s/base is stale: run scripts/render-k8s")
                .isEqualTo(RenderK8sBase.render());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/production", "k8s/overlays/trial"})
    void kustomizeOutputsAreValidObjects(String directory) throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.kustomize(Path.of(directory)));
        assertThat(objects).hasSizeGreaterThan(10);
        backendIsHardenedAndRedundant(objects);
    }

    @Test
    void everyValuesSwitchRendersValidObjects() throws Exception {
        for (Map<String, Object> sets : List.<Map<String, Object>>of(Map.of(),
                Map.of("egress.enabled", false, "monitoring.serviceMonitor", false, "networkPolicy.enabled", false),
                Map.of("redis.enabled", false, "redis.externalHosts", "redis://cache:6379", "livekit.url", ""),
                Map.of("storage.segments.existingClaim", "shared-nfs", "monitoring.dashboard", false))) {
            List<HasMetadata> objects = Manifests.parse(Manifests.renderChart(sets));
            backendIsHardenedAndRedundant(objects);
        }
    }

    @Test
    void aMisspelledOrMisplacedFieldIsRejected() {
        String typo = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typo}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          image: i
                          securityContext: {runAsNonRot: true}
                """;
        assertThatThrownBy(() -> Manifests.parse(typo)).hasMessageContaining("runAsNonRot");
        assertThatThrownBy(() -> Manifests.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
                .hasMessageContaining("unexpected kind v1/Pod");
    }

    @Test
    void externalRedisMustBeNamed() {
        assertThatThrownBy(() -> Manifests.renderChart(Map.of("redis.enabled", false)))
                .hasMessageContaining("redis.externalHosts is required");
    }

    @Test
    void egressAutoscalesWithTheSeedsNumbersAndDrainsGently() throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.renderChart(Map.of()));
        HorizontalPodAutoscaler hpa = Manifests.named(objects, HorizontalPodAutoscaler.class, "replay-buffer-egress");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(20);
        Map<String, Integer> targets = hpa.getSpec().getMetrics().stream().collect(Collectors.toMap(
                m -> m.getResource().getName(), m -> m.getResource().getTarget().getAverageUtilization()));
        assertThat(targets).containsExactlyInAnyOrderEntriesOf(Map.of("cpu", 70, "memory", 75));
        assertThat(hpa.getSpec().getMetrics()).extracting(MetricSpec::getType).containsOnly("Resource");
        var scaleDown = hpa.getSpec().getBehavior().getScaleDown();
        assertThat(scaleDown.getPolicies()).singleElement().satisfies(p -> {
            assertThat(p.getType()).isEqualTo("Pods");
            assertThat(p.getValue()).isEqualTo(1);
        });
        assertThat(scaleDown.getStabilizationWindowSeconds()).isGreaterThanOrEqualTo(300);

        Deployment egress = Manifests.named(objects, Deployment.class, "replay-buffer-egress");
        assertThat(egress.getSpec().getReplicas()).as("the HPA owns the replica count").isNull();
        assertThat(egress.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("drains recordings on scale-down").isGreaterThanOrEqualTo(3600);
        Container container = egress.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("2Gi"));
        assertThat(container.getResources().getLimits()).containsEntry("cpu", new Quantity("4"))
                .containsEntry("memory", new Quantity("4Gi"));
        hardened(container.getSecurityContext(), "egress");

        String config = Manifests.named(objects, ConfigMap.class, "replay-buffer-egress").getData().get("config.yaml");
        assertThat(config).contains("track_composite_cpu_cost: 1").contains("max_cpu_utilization: 0.8");
    }

    @Test
    void segmentsVolumeIsMountedWhereTheConfigSaysOnBothSides() throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.renderChart(Map.of()));
        Map<String, String> config = Manifests.named(objects, ConfigMap.class, "replay-buffer-config").getData();
        Deployment backend = Manifests.named(objects, Deployment.class, "replay-buffer");
        Deployment egress = Manifests.named(objects, Deployment.class, "replay-buffer-egress");

        assertThat(mountOf(backend, "segments")).isEqualTo(config.get("REPLAY_SEGMENTS_PATH"));
        assertThat(mountOf(egress, "segments")).isEqualTo(config.get("REPLAY_EGRESS_OUTPUT_PATH"));
        assertThat(mountOf(backend, "clips")).isEqualTo(config.get("REPLAY_CLIPS_PATH"));
        assertThat(claimOf(backend, "segments")).isEqualTo(claimOf(egress, "segments"));
        for (PersistentVolumeClaim claim : Manifests.all(objects, PersistentVolumeClaim.class)) {
            assertThat(claim.getSpec().getAccessModes()).as(claim.getMetadata().getName()).containsExactly("ReadWriteMany");
        }
    }

    @Test
    void networkPoliciesDenyByDefaultAndOpenOnlyNamedPorts() throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.renderChart(Map.of()));
        NetworkPolicy deny = Manifests.named(objects, NetworkPolicy.class, "replay-buffer-default-deny");
        assertThat(deny.getSpec().getIngress()).isEmpty();
        assertThat(deny.getSpec().getPolicyTypes()).containsExactly("Ingress");
        for (NetworkPolicy policy : Manifests.all(objects, NetworkPolicy.class)) {
            policy.getSpec().getIngress().forEach(rule -> {
                assertThat(rule.getFrom()).as(policy.getMetadata().getName() + " names its peers").isNotEmpty();
                assertThat(rule.getPorts()).as(policy.getMetadata().getName() + " names its ports").isNotEmpty();
            });
        }
    }

    @Test
    void prometheusRuleIsTheTestedRulesFile() throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.renderChart(Map.of("monitoring.runbookUrl", "https://wiki/rb")));
        PrometheusRule rule = Manifests.named(objects, PrometheusRule.class, "replay-buffer");
        List<String> alerts = rule.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream())
                .map(r -> r.getAlert()).toList();
        assertThat(alerts).containsExactlyElementsOf(AlertRulesTest.alertNames());
        rule.getSpec().getGroups().get(0).getRules().forEach(r ->
                assertThat(r.getAnnotations().get("runbook_url")).startsWith("https://wiki/rb#"));
    }

    @Test
    void dashboardShipsForGrafanasSidecarWithEveryPanelOperatorsNeed() throws Exception {
        List<HasMetadata> objects = Manifests.parse(Manifests.renderChart(Map.of()));
        ConfigMap dashboard = Manifests.named(objects, ConfigMap.class, "replay-buffer-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard.getData().get("replay-buffer.json"));
        List<String> titles = json.findValuesAsText("title");
        assertThat(titles).contains("Active buffers", "Capture rate", "Capture success ratio",
                "Capture duration (request to READY)", "Capture errors by type",
                "Storage: temp segments vs permanent clips", "Segment volume used", "Cleanup deletions", "Sweep time",
                "Egress requests", "Egress request failures", "Webhook verdicts", "HTTP latency (API, without /q)",
                "JVM heap");
        assertThat(json.findValuesAsText("expr")).anyMatch(e -> e.contains("histogram_quantile(0.99"));
    }

    @Test
    void imageFollowsQuarkusLayoutRunsAsNonRootAndShipsUnpackedNatives() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm"));
        List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).isEqualTo("USER 185");
        assertThat(lines).contains("ENTRYPOINT [ \"/opt/jboss/container/java/run/run-java.sh\" ]")
                .anyMatch(l -> l.startsWith("HEALTHCHECK"))
                .anyMatch(l -> l.contains("/q/health/live"))
                .anyMatch(l -> l.startsWith("COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/"));
        // The build-time step runs a real class with a main method, and the runtime stage points the loader at it.
        String natives = lines.stream().filter(l -> l.contains("io.replaybuffer.")).findFirst().orElseThrow().trim();
        Class.forName(natives).getMethod("main", String[].class);
        assertThat(lines).contains("ENV JAVACPP_CACHEDIR=\"/deployments/javacpp-cache\"");
        assertThat(io.replaybuffer.platform.media.FfmpegNatives.CACHE_DIR_PROPERTY).isEqualTo("org.bytedeco.javacpp.cachedir");
    }

    private static void backendIsHardenedAndRedundant(List<HasMetadata> objects) {
        Deployment backend = Manifests.named(objects, Deployment.class, "replay-buffer");
        assertThat(backend.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        var pod = backend.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        Container container = pod.getContainers().get(0);
        hardened(container.getSecurityContext(), "backend");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("JAVA_OPTS_APPEND")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).as("explicit JVM memory").contains("-Xmx", "-XX:MaxDirectMemorySize="));
        PodDisruptionBudget pdb = Manifests.named(objects, PodDisruptionBudget.class, "replay-buffer");
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isPositive();
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(backend.getSpec().getSelector().getMatchLabels());
        for (Deployment deployment : Manifests.all(objects, Deployment.class)) {
            deployment.getSpec().getTemplate().getSpec().getContainers()
                    .forEach(c -> hardened(c.getSecurityContext(), deployment.getMetadata().getName()));
        }
    }

    private static void hardened(SecurityContext security, String what) {
        assertThat(security.getRunAsNonRoot()).as(what + " runs as non-root").isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).as(what + " read-only root").isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).as(what + " no privilege escalation").isFalse();
        assertThat(security.getCapabilities().getDrop()).as(what + " drops all capabilities").containsExactly("ALL");
    }

    private static String mountOf(Deployment deployment, String volume) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume)).map(VolumeMount::getMountPath).findFirst().orElseThrow();
    }

    private static String claimOf(Deployment deployment, String volume) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(volume)).findFirst().orElseThrow()
                .getPersistentVolumeClaim().getClaimName();
    }
}
