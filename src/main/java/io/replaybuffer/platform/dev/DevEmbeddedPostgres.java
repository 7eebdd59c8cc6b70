package io.replaybuffer.platform.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The run command's database: in the dev profile, when no datasource URL is configured and Dev Services are off,
 * start an embedded PostgreSQL (data kept under {@code data/postgres}) and point the datasource at it. Anything
 * configured explicitly wins, and no other profile is touched.
 */
public class DevEmbeddedPostgres implements ConfigSourceFactory {

    static final String URL = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("dev")
                || isSet(context, URL)
                || isTrue(context, "quarkus.devservices.enabled")
                || isTrue(context, "quarkus.datasource.devservices.enabled")
                || isFalse(context, "replay.dev.embedded-postgres")) {
            return List.of();
        }
        String dataDir = value(context, "replay.dev.embedded-postgres-dir", "data/postgres");
        String jdbcUrl = EmbeddedPostgresLauncher.ensureRunning(dataDir);
        return List.of(new PropertiesConfigSource(Map.of(
                URL, jdbcUrl,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres"), "embedded-postgres (dev)", 150));
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static boolean isTrue(ConfigSourceContext context, String name) {
        return "true".equalsIgnoreCase(value(context, name, "false"));
    }

    private static boolean isFalse(ConfigSourceContext context, String name) {
        return "false".equalsIgnoreCase(value(context, name, "true"));
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null ? fallback : value.getValue();
    }
}
