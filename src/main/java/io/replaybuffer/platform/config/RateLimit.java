package io.replaybuffer.platform.config;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.Objects;

/** One "permits per window" rule such as {@code 3/1m}. */
public record RateLimit(int permits, Duration window) {

    public RateLimit {
        if (permits < 1) {
            throw new IllegalArgumentException("a rate limit needs at least one permit");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit needs a positive window");
        }
    }

    /** Parses {@code permits/window}; the window uses Quarkus' duration syntax (30s, 1m, 1h, PT1H). */
    public static RateLimit parse(String text) {
        String[] parts = Objects.requireNonNull(text).trim().split("/", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected permits/window such as 3/1m, got '" + text + "'");
        }
        return new RateLimit(Integer.parseInt(parts[0].trim()), DurationConverter.parseDuration(parts[1].trim()));
    }

    @Override
    public String toString() {
        return permits + "/" + window;
    }

    /** Lets {@link ReplayConfig} hold typed rules. */
    public static final class Converter implements org.eclipse.microprofile.config.spi.Converter<RateLimit> {
        @Override
        public RateLimit convert(String value) {
            return parse(value);
        }
    }
}
