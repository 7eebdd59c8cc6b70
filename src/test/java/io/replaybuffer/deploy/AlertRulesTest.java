package io.replaybuffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.replaybuffer.testing.OsTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The alert rules pass Prometheus' own checker and unit tests, and every alert has a test and a runbook entry. */
class AlertRulesTest {

    static final Path RULES = Path.of("helm/replay-buffer/files/alerts.yaml");
    static final Path TESTS = Path.of("helm/tests/alerts-test.yaml");
    static final Path RUNBOOK = Path.of("docs/runbook.md");

    @Test
    void promtoolChecksTheRules() throws Exception {
        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS");
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        assertThat(promtool("test", "rules", TESTS.toString())).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAUnitTestThatFiresIt() throws Exception {
        JsonNode tests = new YAMLMapper().readTree(TESTS.toFile());
        List<String> fired = new ArrayList<>();
        tests.path("tests").forEach(t -> t.path("alert_rule_test").forEach(case_ -> {
            if (!case_.path("exp_alerts").isEmpty()) {
                fired.add(case_.path("alertname").asText());
            }
        }));
        assertThat(fired).containsAll(alertNames());
    }

    @Test
    void everyAlertLinksItsOwnRunbookSection() throws Exception {
        String runbook = Files.readString(RUNBOOK);
        for (JsonNode rule : rules()) {
            String alert = rule.path("alert").asText();
            assertThat(runbook).as("docs/runbook.md has a section for " + alert).contains("\n## " + alert + "\n");
            assertThat(rule.path("annotations").path("runbook_url").asText())
                    .endsWith("docs/runbook.md#" + alert.toLowerCase(Locale.ROOT));
        }
    }

    static List<String> alertNames() {
        List<String> names = new ArrayList<>();
        rules().forEach(rule -> names.add(rule.path("alert").asText()));
        return names;
    }

    static List<JsonNode> rules() {
        try {
            List<JsonNode> rules = new ArrayList<>();
            new YAMLMapper().readTree(RULES.toFile()).path("groups")
                    .forEach(group -> group.path("rules").forEach(rules::add));
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(OsTools.require("promtool", "prometheus")));
        command.addAll(List.of(args));
        return OsTools.exec(new ProcessBuilder(command).redirectErrorStream(true), Duration.ofMinutes(1));
    }
}
