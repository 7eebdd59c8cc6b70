package io.replaybuffer.platform.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.replaybuffer.platform.config.ReplayConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidatorImpl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * REPLAY_BACKGROUND_SHARE as an operator may set it: outside (0, 1] or not a number, the service refuses to start and
 * names the setting (the packaged service said the same for 0, 1.5 and "abc", 2026-11-28), instead of a pass that
 * never works or one that divides by zero.
 */
class BackgroundShareSettingTest {

    private static ReplayConfig config(String share) {
        Map<String, String> settings = new HashMap<>(Map.of("replay.segments-path", "/tmp/s", "replay.clips-path",
                "/tmp/c"));
        if (share != null) {
            settings.put("replay.background-share", share);
        }
        return new SmallRyeConfigBuilder()
                .withConverter(Path.class, 100, Path::of)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withValidator(new BeanValidationConfigValidatorImpl())
                .withMapping(ReplayConfig.class)
                .withSources(new PropertiesConfigSource(settings, "test", 500))
                .build().getConfigMapping(ReplayConfig.class);
    }

    @Test
    void aQuarterByDefault() {
        assertThat(config(null).backgroundShare()).isEqualTo(0.25);
    }

    @Test
    void oneTurnsPacingOff() {
        assertThat(config("1").backgroundShare()).isEqualTo(1.0);
    }

    @Test
    void zeroIsRefused() {
        assertThatThrownBy(() -> config("0")).hasMessageContaining("replay.background-share")
                .hasMessageContaining("must be greater than 0");
    }

    @Test
    void moreThanOneIsRefused() {
        assertThatThrownBy(() -> config("1.5")).hasMessageContaining("replay.background-share")
                .hasMessageContaining("must be less than or equal to 1");
    }

    @Test
    void aWordIsRefused() {
        assertThatThrownBy(() -> config("abc")).hasMessageContaining("replay.background-share");
    }
}
