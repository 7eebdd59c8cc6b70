package io.replaybuffer.platform.ratelimit;

import io.replaybuffer.platform.config.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The same fixed windows in memory, for a single process without Redis. */
final class LocalRateLimiter implements RateLimiter {

    private record Window(int used, Instant resetAt) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    LocalRateLimiter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Optional<Duration> tryAcquire(String key, List<RateLimit> rules) {
        Instant now = clock.instant();
        windows.values().removeIf(w -> !w.resetAt().isAfter(now)); // keeps the map as small as the active users
        for (RateLimit rule : rules) {
            Window window = windows.get(key + "|" + rule);
            if (window != null && window.used() >= rule.permits()) {
                return Optional.of(Duration.between(now, window.resetAt()));
            }
        }
        for (RateLimit rule : rules) {
            windows.merge(key + "|" + rule, new Window(1, now.plus(rule.window())),
                    (old, fresh) -> new Window(old.used() + 1, old.resetAt()));
        }
        return Optional.empty();
    }

    @Override
    public synchronized void release(String key, List<RateLimit> rules) {
        for (RateLimit rule : rules) {
            windows.computeIfPresent(key + "|" + rule, (k, w) -> w.used() > 0 ? new Window(w.used() - 1, w.resetAt()) : w);
        }
    }
}
