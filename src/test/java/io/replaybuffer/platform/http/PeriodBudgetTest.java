package io.replaybuffer.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The budget's arithmetic: none until two periods in a row are late; then every late period cuts it to three quarters
 * of the most let in during a period of the last second (a stall lets few in), down to the floor; punctual periods
 * add a sixteenth near lateness, a quarter far from it, and lift it once demand uses less than half.
 */
class PeriodBudgetTest {

    private static final Duration LATE = Duration.ofMillis(10);
    private static final Duration BEHIND = Duration.ofMillis(40);

    @Test
    void thereIsNoBudgetUntilTwoPeriodsInARowAreLate() {
        PeriodBudget budget = new PeriodBudget(LATE);
        assertThat(budget.periodEnded(Duration.ZERO, 5_000)).isEqualTo(PeriodBudget.UNLIMITED);
        assertThat(budget.periodEnded(LATE, 5_000)).as("exactly the delay allowed is not late")
                .isEqualTo(PeriodBudget.UNLIMITED);
        assertThat(budget.periodEnded(BEHIND, 5_000)).as("one late period alone").isEqualTo(PeriodBudget.UNLIMITED);
        assertThat(budget.periodEnded(Duration.ZERO, 5_000)).isEqualTo(PeriodBudget.UNLIMITED);
        assertThat(budget.periodEnded(BEHIND, 5_000)).isEqualTo(PeriodBudget.UNLIMITED);
        assertThat(budget.periodEnded(BEHIND, 4_000)).as("the second in a row").isEqualTo(3_750);
    }

    @Test
    void latePeriodsCutToThreeQuartersOfTheBudgetDownToTheFloor() {
        PeriodBudget budget = new PeriodBudget(LATE);
        budget.periodEnded(BEHIND, 400);
        assertThat(budget.periodEnded(BEHIND, 300)).isEqualTo(300);
        assertThat(budget.periodEnded(BEHIND, 300)).isEqualTo(225);
        for (int i = 0; i < 30; i++) {
            budget.periodEnded(BEHIND, 1_000);
        }
        assertThat(budget.current()).isEqualTo(PeriodBudget.FLOOR);
    }

    @Test
    void aStallCutsFromWhatTheLastSecondLetInNotFromWhatTheStallLetIn() {
        PeriodBudget budget = new PeriodBudget(LATE);
        for (int i = 0; i < 9; i++) {
            budget.periodEnded(Duration.ofMillis(1), 200); // 2,000 a second, punctual
        }
        assertThat(budget.periodEnded(Duration.ofMillis(120), 15)).as("one stall of 120 ms sets no budget")
                .isEqualTo(PeriodBudget.UNLIMITED);
        assertThat(budget.periodEnded(Duration.ofMillis(120), 15)).as("a second late period, 15 let in meanwhile")
                .isEqualTo(150);
        assertThat(budget.periodEnded(Duration.ZERO, 150)).isEqualTo(187);
        assertThat(budget.periodEnded(Duration.ZERO, 187)).isEqualTo(233);
    }

    @Test
    void aCutLooksBackOneSecondOnly() {
        PeriodBudget budget = new PeriodBudget(LATE);
        budget.periodEnded(Duration.ZERO, 1_000);
        for (int i = 0; i < PeriodBudget.MEMORY; i++) {
            budget.periodEnded(Duration.ZERO, 100);
        }
        budget.periodEnded(BEHIND, 100);
        assertThat(budget.periodEnded(BEHIND, 100)).as("the 1,000 let in over a second ago are forgotten")
                .isEqualTo(75);
    }

    @Test
    void punctualPeriodsGrowItAndLiftItOnceDemandFallsWellWithin() {
        Duration close = Duration.ofMillis(5);
        PeriodBudget budget = new PeriodBudget(LATE);
        budget.periodEnded(BEHIND, 320);
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
