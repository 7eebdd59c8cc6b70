package io.replaybuffer.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.replaybuffer.platform.config.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void parsesPermitsPerWindow() {
        assertThat(RateLimit.parse("3/1m")).isEqualTo(new RateLimit(3, Duration.ofMinutes(1)));
        assertThat(RateLimit.parse(" 15 / 1h ")).isEqualTo(new RateLimit(15, Duration.ofHours(1)));
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> RateLimit.parse("3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.parse("0/1m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLimit.parse("x/1m")).isInstanceOf(IllegalArgumentException.class);
    }
}
