package io.replaybuffer.platform.config;

import io.replaybuffer.platform.security.UrlSigner;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Fails the prod profile's start-up at once, naming every missing required setting, instead of letting the first
 * request discover that the database, Redis, the JWT key or LiveKit was never configured. Contributes no values.
 */
public class ProductionSettings implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!context.getProfiles().contains("prod") || !atRuntime()) {
            return List.of();
        }
        List<String> missing = missing(context);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing or unusable production settings: " + String.join(", ", missing)
                    + ". See README.md, section Configuration.");
        }
        return List.of();
    }

    /** What the prod profile lacks, each named by its environment variable; empty when it may start. */
    static List<String> missing(ConfigSourceContext context) {
        List<String> missing = new ArrayList<>();
        require(context, missing, "quarkus.datasource.jdbc.url", "QUARKUS_DATASOURCE_JDBC_URL");
        require(context, missing, "quarkus.redis.hosts", "QUARKUS_REDIS_HOSTS");
        if (!isSet(context, "mp.jwt.verify.publickey") && !isSet(context, "mp.jwt.verify.publickey.location")) {
            missing.add("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        }
        require(context, missing, "mp.jwt.verify.issuer", "MP_JWT_VERIFY_ISSUER");
        require(context, missing, "replay.signing-key", "REPLAY_SIGNING_KEY");
        String signingKey = valueOf(context, "replay.signing-key");
        if (signingKey != null && !signingKey.isBlank()
                && signingKey.getBytes(StandardCharsets.UTF_8).length < UrlSigner.MIN_KEY_BYTES) {
            // Anyone who guesses a short key can mint share links to every clip.
            missing.add("REPLAY_SIGNING_KEY of at least " + UrlSigner.MIN_KEY_BYTES + " bytes (it has "
                    + signingKey.getBytes(StandardCharsets.UTF_8).length + ")");
        }
        boolean simulated = "true".equalsIgnoreCase(valueOf(context, "replay.egress.simulated"));
        if (!simulated) {
            require(context, missing, "livekit.url", "LIVEKIT_URL (or REPLAY_EGRESS_SIMULATED=true)");
            require(context, missing, "livekit.api-key", "LIVEKIT_API_KEY");
            require(context, missing, "livekit.api-secret", "LIVEKIT_API_SECRET");
        }
        return missing;
    }

    /** Build-time augmentation also reads configuration in the prod profile; only a starting application checks. */
    private static boolean atRuntime() {
        return io.quarkus.runtime.ExecutionMode.current() != io.quarkus.runtime.ExecutionMode.UNSET;
    }

    private static void require(ConfigSourceContext context, List<String> missing, String property, String variable) {
        if (!isSet(context, property)) {
            missing.add(variable);
        }
    }

    private static boolean isSet(ConfigSourceContext context, String property) {
        String value = valueOf(context, property);
        return value != null && !value.isBlank();
    }

    private static String valueOf(ConfigSourceContext context, String property) {
        ConfigValue value = context.getValue(property);
        return value == null ? null : value.getValue();
    }
}
