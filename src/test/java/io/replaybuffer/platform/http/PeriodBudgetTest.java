package io.replaybuffer.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The budget's arithmetic: none while the loops keep time; a late period cuts it to three quarters of what was let in,
 * down to the floor; punctual periods add a sixteenth near lateness, a quarter far from it, and lift it once demand
 * uses less than half.
 */
class PeriodBudgetTest {

    private static final Duration LATE = Duration.ofMillis(10);
    private static final Duration BEHIND = Duration.ofMillis(40);

    @Test
    void thereIsNoBudgetUntilAPeriodIsLate() {
        PeriodBudget budget = new PeriodBudget(LATE);
        assertThat(budget.periodEnded(Duration.ZERO, 5_000)).isEqualTo(PeriodBudget.UNLIMITED);
        assertThat(budget.periodEnded(LATE, 5_000)).as("exactly the delay allowed is not late")
                .isEqualTo(PeriodBudget.UNLIMITED);
    }

    @Test
    void latePeriodsCutToThreeQuartersOfWhatWasLetInDownToTheFloor() {
        PeriodBudget budget = new PeriodBudget(LATE);
        assertThat(budget.periodEnded(BEHIND, 400)).isEqualTo(300);
        assertThat(budget.periodEnded(BEHIND, 300)).isEqualTo(225);
        assertThat(budget.periodEnded(BEHIND, 100)).as("from what was let in, when that was less").isEqualTo(75);
        for (int i = 0; i < 30; i++) {
            budget.periodEnded(BEHIND, 1_000);
        }
        assertThat(budget.current()).isEqualTo(PeriodBudget.FLOOR);
    }

    @Test
    void punctualPeriodsGrowItAndLiftItOnceDemandFallsWellWithin() {
        Duration close = Duration.ofMillis(5);
        PeriodBudget budget = new PeriodBudget(LATE);
        budget.periodEnded(BEHIND, 320); // 240
        assertThat(budget.periodEnded(close, 240)).as("a sixteenth more while the loops are close to late")
                .isEqualTo(255);
        assertThat(budget.periodEnded(close, 255)).isEqualTo(270);
        assertThat(budget.periodEnded(Duration.ofMillis(2), 270)).as("a quarter more while they are far from it")
                .isEqualTo(337);
        assertThat(budget.periodEnded(BEHIND, 337)).isEqualTo(252);
        assertThat(budget.periodEnded(Duration.ZERO, 125)).as("less than half used").isEqualTo(PeriodBudget.UNLIMITED);
    }

    @Test
    void fromTheFloorIdleLoopsLetHalfAKneeInAgainWithinTwoSeconds() {
        PeriodBudget budget = new PeriodBudget(LATE);
        for (int i = 0; i < 30; i++) {
            budget.periodEnded(BEHIND, 1_000);
        }
        int periods = 0;
        while (budget.current() < 250) { // 2,500 a second, all of it wanted
            budget.periodEnded(Duration.ZERO, budget.current());
            periods++;
        }
        assertThat(periods).as("periods of 100 ms").isLessThanOrEqualTo(20);
    }

    @Test
    void aZeroDelayTurnsItOff() {
        PeriodBudget off = new PeriodBudget(Duration.ZERO);
        assertThat(off.periodEnded(Duration.ofSeconds(5), 1_000)).isEqualTo(PeriodBudget.UNLIMITED);
    }
}
