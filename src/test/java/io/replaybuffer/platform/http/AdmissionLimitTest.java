package io.replaybuffer.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limit's arithmetic: a quarter off per late period down to the floor, one back per few punctual periods. */
class AdmissionLimitTest {

    private static final Duration LATE = Duration.ofMillis(25);

    @Test
    void latePeriodsCutByAQuarterDownToTheFloorAndPunctualOnesAddOne() {
        AdmissionLimit limit = new AdmissionLimit(64, LATE);
        assertThat(limit.periodEnded(Duration.ofMillis(26))).isEqualTo(48);
        assertThat(limit.periodEnded(Duration.ofMillis(200))).isEqualTo(36);
        for (int i = 0; i < 20; i++) {
            limit.periodEnded(Duration.ofSeconds(1));
        }
        assertThat(limit.current()).isEqualTo(AdmissionLimit.FLOOR);
        for (int i = 1; i < AdmissionLimit.PUNCTUAL_PERIODS_PER_STEP; i++) {
            assertThat(limit.periodEnded(LATE)).as("exactly the delay allowed is not late").isEqualTo(2);
        }
        assertThat(limit.periodEnded(Duration.ZERO)).as("one up after %d punctual periods",
                AdmissionLimit.PUNCTUAL_PERIODS_PER_STEP).isEqualTo(3);
        for (int i = 0; i < 100 * AdmissionLimit.PUNCTUAL_PERIODS_PER_STEP; i++) {
            limit.periodEnded(Duration.ZERO);
        }
        assertThat(limit.current()).as("never past REPLAY_MAX_IN_FLIGHT").isEqualTo(64);
    }

    @Test
    void aZeroDelayKeepsTheLimitFixedAndASmallCeilingIsItsOwnFloor() {
        AdmissionLimit fixed = new AdmissionLimit(64, Duration.ZERO);
        assertThat(fixed.periodEnded(Duration.ofSeconds(5))).isEqualTo(64);
        AdmissionLimit one = new AdmissionLimit(1, LATE);
        assertThat(one.periodEnded(Duration.ofSeconds(5))).isEqualTo(1);
    }
}
