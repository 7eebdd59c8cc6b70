package io.replaybuffer.platform.events;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.replaybuffer.platform.redis.RedisStatus;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Leases in one Redis sorted set per user: member = stream id, score = when its lease runs out. Taking one first drops
 * the lapsed ones and then counts, in one script, so two replicas cannot both hand out the last one. Each call waits
 * at most {@link RedisStatus#TIMEOUT}; failures are the caller's to handle.
 */
final class RedisStreamLeases implements StreamLeases {

    private static final String TAKE = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
              return 0
            end
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """;
    /** Plain ZADD, not XX: a stream still open here counts even if its lease lapsed while Redis was away. */
    private static final String RENEW = """
            for i = 3, #ARGV do
              redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i])
            end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 0
            """;

    private final ReactiveRedisDataSource redis;
    private final Clock clock;
    private final Duration lease;

    RedisStreamLeases(ReactiveRedisDataSource redis, Clock clock, Duration lease) {
        this.redis = redis;
        this.clock = clock;
        this.lease = lease;
    }

    @Override
    public boolean take(String userId, String streamId, int max) {
        long now = clock.millis();
        return call("EVAL", TAKE, "1", key(userId), Long.toString(now), Integer.toString(max),
                Long.toString(now + lease.toMillis()), streamId, Long.toString(lease.toMillis())).toLong() == 1;
    }

    @Override
    public void give(String userId, String streamId) {
        call("ZREM", key(userId), streamId);
    }

    @Override
    public void renew(Map<String, ? extends Collection<String>> openStreams) {
        String until = Long.toString(clock.millis() + lease.toMillis());
        openStreams.forEach((userId, streams) -> {
            List<String> args = new ArrayList<>(List.of(RENEW, "1", key(userId), until, Long.toString(lease.toMillis())));
            args.addAll(streams);
            call("EVAL", args.toArray(String[]::new));
        });
    }

    private Response call(String command, String... args) {
        return redis.execute(command, args).await().atMost(RedisStatus.TIMEOUT);
    }

    static String key(String userId) {
        return "replay-buffer:streams:" + userId;
    }
}
