package io.replaybuffer.platform.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Back-off doubles from the first wait to the cap, jitter stays within ±20%, and the give-up time is the end. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(2));
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Instant giveUp = now.plus(Duration.ofHours(24));

    @Test
    void waitsDoubleUpToTheCap() {
        assertThat(policy.backoff(1, 0)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.backoff(2, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoff(5, 0)).isEqualTo(Duration.ofSeconds(80));
        assertThat(policy.backoff(12, 0)).isEqualTo(Duration.ofHours(2));
        assertThat(policy.backoff(1000, 0)).isEqualTo(Duration.ofHours(2));
        assertThat(policy.backoff(3, -0.2)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.backoff(3, 0.19)).isEqualTo(Duration.ofMillis(23_800));
    }

    @Test
    void aFailedAttemptIsRetriedWithJitterBeforeTheGiveUpTime() {
        for (int i = 0; i < 200; i++) {
            RetryPolicy.Next next = policy.after(3, AttemptResult.status(500, null), now, giveUp);
            assertThat(next.failed()).isFalse();
            assertThat(Duration.between(now, next.at())).isBetween(Duration.ofSeconds(16), Duration.ofSeconds(24));
        }
    }

    @Test
    void theLastAttemptIsAtTheGiveUpTimeAndItsFailureIsFinal() {
        Instant late = giveUp.minusSeconds(60);
        assertThat(policy.after(20, AttemptResult.timeout(Duration.ofSeconds(10)), late, giveUp).at()).isEqualTo(giveUp);
        assertThat(policy.after(21, AttemptResult.status(503, null), giveUp, giveUp).failed()).isTrue();
    }

    @Test
    void aLongerRetryAfterIsHonouredUpToTheCap() {
        assertThat(policy.after(1, AttemptResult.status(429, Duration.ofMinutes(3)), now, giveUp).at())
                .isEqualTo(now.plus(Duration.ofMinutes(3)));
        assertThat(policy.after(1, AttemptResult.status(503, Duration.ofDays(3)), now, giveUp).at())
                .isEqualTo(now.plus(Duration.ofHours(2)));
    }

    @Test
    void goneMeansTheReceiverWantsNoMore() {
        assertThat(policy.after(1, AttemptResult.status(410, null), now, giveUp).failed()).isTrue();
    }
}
