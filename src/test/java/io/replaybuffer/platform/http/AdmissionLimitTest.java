package io.replaybuffer.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limit's arithmetic: a quarter off per late period down to the floor, one back per punctual period. */
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
        assertThat(limit.periodEnded(LATE)).as("exactly the delay allowed is not late").isEqualTo(3);
        for (int i = 0; i < 100; i++) {
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
