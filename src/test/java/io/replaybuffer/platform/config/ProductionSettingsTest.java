package io.replaybuffer.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prod profile's start-up check, fed the settings a deployment would give it. */
class ProductionSettingsTest {

    private static Map<String, String> complete() {
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://db/replay");
        settings.put("quarkus.redis.hosts", "redis://redis:6379");
        settings.put("mp.jwt.verify.publickey.location", "/keys/jwt.pem");
        settings.put("mp.jwt.verify.issuer", "https://auth.example");
        settings.put("replay.signing-key", "0123456789abcdef0123456789abcdef"); // 32 bytes
        settings.put("livekit.url", "https://livekit.example");
        settings.put("livekit.api-key", "key");
        settings.put("livekit.api-secret", "secret");
        return settings;
    }

    private static List<String> missing(Map<String, String> settings) {
        return ProductionSettings.missing(new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                return settings.containsKey(name)
                        ? ConfigValue.builder().withName(name).withValue(settings.get(name)).build() : null;
            }

            @Override
            public List<String> getProfiles() {
                return List.of("prod");
            }

            @Override
            public Iterator<String> iterateNames() {
                return settings.keySet().iterator();
            }
        });
    }

    @Test
    void aCompleteProductionConfigurationStarts() {
        assertThat(missing(complete())).isEmpty();
    }

    @Test
    void aSigningKeyShorterThan32BytesIsRefused() {
        Map<String, String> settings = complete();
        settings.put("replay.signing-key", "0123456789abcdef0123456789abcde"); // 31 bytes
        assertThat(missing(settings)).containsExactly("REPLAY_SIGNING_KEY of at least 32 bytes (it has 31)");
        settings.put("replay.signing-key", "ключ-ключ-ключ-1"); // 16 characters, 28 bytes in UTF-8
        assertThat(missing(settings)).singleElement().asString().contains("it has 28");
    }

    @Test
    void aMissingSigningKeyIsNamedOnce() {
        Map<String, String> settings = complete();
        settings.remove("replay.signing-key");
        assertThat(missing(settings)).containsExactly("REPLAY_SIGNING_KEY");
    }
}
