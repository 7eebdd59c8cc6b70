package io.replaybuffer.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.replaybuffer.testing.OsTools;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment files as Kubernetes objects: the chart rendered by the real Helm engine (helm-java), the Kustomize
 * overlays built by {@code kubectl kustomize}, and both parsed into fabric8's models, which are generated from the
 * Kubernetes and Prometheus Operator OpenAPI schemas. A field the schema does not know is an error, not ignored.
 */
final class Manifests {

    static final Path CHART = Path.of("helm/replay-buffer");
    static final Path BASE = Path.of("k8s/base/replay-buffer.yaml");
    static final String RELEASE = "replay-buffer";

    /** Every kind the files may contain, with the schema-generated class that must accept it. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Manifests() {
    }

    /** The chart rendered with its defaults plus {@code sets} (Helm's --set), as k8s/base holds it. */
    static String renderChart(Map<String, Object> sets) {
        TemplateCommand template = new Helm(CHART).template().withName(RELEASE);
        sets.forEach(template::set);
        return template.call();
    }

    /** {@code kubectl kustomize <dir>}: the real Kustomize, as operators run it. */
    static String kustomize(Path directory) throws IOException, InterruptedException {
        // Deprecation warnings go to stderr; the overlays keep fields old kubectl versions understand.
        return OsTools.exec(new ProcessBuilder(OsTools.require("kubectl", "kubernetes-client"), "kustomize",
                directory.toString()), Duration.ofMinutes(1));
    }

    /** Parses a multi-document YAML stream into typed objects; unknown kinds and unknown fields fail. */
    static List<HasMetadata> parse(String yaml) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(key);
                if (type == null) {
                    problems.add("unexpected kind " + key);
                    continue;
                }
                HasMetadata object = JSON.treeToValue(document, type);
                String where = key + " " + object.getMetadata().getName();
                unknownFields(object, where, problems);
                objects.add(object);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("not valid Kubernetes objects:\n  " + String.join("\n  ", problems));
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return find(objects, type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    static <T extends HasMetadata> Optional<T> find(List<HasMetadata> objects, Class<T> type, String name) {
        return all(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    /**
     * fabric8's models keep fields they do not know in "additionalProperties" (so clients survive newer servers);
     * for files we ship, any such field is a typo or a wrong indentation that the API server would drop or refuse.
     */
    private static void unknownFields(Object value, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || value.getClass().isEnum()) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue; // derived accessors (e.g. Quantity's numeric view) are not fields
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                String name = getter.getName().substring(3);
                unknownFields(field, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), problems);
            }
        }
    }
}
