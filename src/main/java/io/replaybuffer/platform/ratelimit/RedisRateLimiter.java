package io.replaybuffer.platform.ratelimit;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.replaybuffer.platform.config.RateLimit;
import io.replaybuffer.platform.redis.RedisStatus;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fixed windows in Redis, checked and counted in one Lua script so concurrent requests on any replica cannot both
 * take the last permit. Waits at most {@link RedisStatus#TIMEOUT}: a Redis that stopped answering must not hold a
 * capture up (the caller falls back instead).
 */
final class RedisRateLimiter implements RateLimiter {

    private static final String SCRIPT = """
            for i, key in ipairs(KEYS) do
              local used = tonumber(redis.call('GET', key) or '0')
              if used >= tonumber(ARGV[2 * i - 1]) then
                return redis.call('PTTL', key)
              end
            end
            for i, key in ipairs(KEYS) do
              if redis.call('INCR', key) == 1 then
                redis.call('PEXPIRE', key, ARGV[2 * i])
              end
            end
            return -1
            """;
    /** DECR keeps the key's expiry, so a given-back permit stays in the window it was taken from. */
    private static final String RELEASE = """
            for i, key in ipairs(KEYS) do
              if tonumber(redis.call('GET', key) or '0') > 0 then
                redis.call('DECR', key)
              end
            end
            return 0
            """;

    private final ReactiveRedisDataSource redis;

    RedisRateLimiter(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Optional<Duration> tryAcquire(String key, List<RateLimit> rules) {
        List<String> args = scriptWithKeys(SCRIPT, key, rules);
        for (RateLimit rule : rules) {
            args.add(Integer.toString(rule.permits()));
            args.add(Long.toString(rule.window().toMillis()));
        }
        Response answer = redis.execute("EVAL", args.toArray(String[]::new)).await().atMost(RedisStatus.TIMEOUT);
        long waitMillis = answer.toLong();
        return waitMillis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.max(waitMillis, 1)));
    }

    @Override
    public void release(String key, List<RateLimit> rules) {
        redis.execute("EVAL", scriptWithKeys(RELEASE, key, rules).toArray(String[]::new))
                .await().atMost(RedisStatus.TIMEOUT);
    }

    private static List<String> scriptWithKeys(String script, String key, List<RateLimit> rules) {
        List<String> args = new ArrayList<>();
        args.add(script);
        args.add(Integer.toString(rules.size()));
        for (RateLimit rule : rules) {
            args.add("replay-buffer:rate:" + key + ":" + rule.permits() + "/" + rule.window().toMillis());
        }
        return args;
    }
}
