package io.replaybuffer.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Test profile of the fault tests. Under it {@link TestServices} puts a {@link TcpProxy} between the application and
 * PostgreSQL and starts a {@link ThrowawayRedis} for it, and injects both into the test's fields of those types, so
 * a test can take the database or Redis away and bring it back without disturbing suites that share the real ones.
 * Two replicas are said to share the limits, so a replica's own share of a limit is half of it.
 */
public class Faults implements QuarkusTestProfile {

    /** Captures per user and minute across all replicas; each of the two gets 2 while Redis is down. */
    public static final int CAPTURES_PER_MINUTE = 4;
    public static final int REPLICAS = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("replay.replicas", Integer.toString(REPLICAS),
                "replay.capture.rate", CAPTURES_PER_MINUTE + "/1m",
                // These tests are about the database and Redis: the fake LiveKit's first answers from a freshly
                // started application must not trip the short timeout the LiveKit failure tests use.
                "io.replaybuffer.egress.livekit.TwirpCalls/execute/Timeout/value", "10000");
    }
}
