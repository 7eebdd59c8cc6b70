package io.replaybuffer.platform.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.replaybuffer.testing.OtherReplica;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A periodic job runs once per period whichever replica ticks, never twice at once, and not at all while another holds it. */
@QuarkusTest
class ClusterJobsTest {

    private static final long LOCK_ID = 0x4a6f62735465737L;

    @Inject
    ClusterJobs jobs;

    @Test
    void aSecondTickWithinThePeriodSkipsAndTheNextPeriodRuns() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Duration period = Duration.ofMillis(600);
        long claimed = System.nanoTime(); // before the claim: the time between claims is at most what is measured
        assertThat(jobs.runIfDue("test-period", LOCK_ID, period, runs::incrementAndGet)).isTrue();
        // Another replica's tick right after: the period is taken.
        assertThat(jobs.runIfDue("test-period", LOCK_ID, period, runs::incrementAndGet)).isFalse();
        assertThat(runs).hasValue(1);
        // 90% of a period later it is due again.
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> jobs.runIfDue("test-period", LOCK_ID, period, runs::incrementAndGet));
        assertThat(Duration.ofNanos(System.nanoTime() - claimed)).isGreaterThanOrEqualTo(period.multipliedBy(9).dividedBy(10));
        assertThat(runs).hasValue(2);
    }

    @Test
    void whileAnotherReplicaRunsTheJobThisOneDoesNot() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (Connection other = OtherReplica.holding(LOCK_ID)) {
            assertThat(jobs.runIfDue("test-held", LOCK_ID, Duration.ofMillis(1), runs::incrementAndGet)).isFalse();
            assertThat(runs).hasValue(0);
        }
        // The other session ended, and with it its lock (PostgreSQL drops it as the session's backend exits).
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> jobs.runIfDue("test-held", LOCK_ID, Duration.ofMillis(1), runs::incrementAndGet));
        assertThat(runs).hasValue(1);
    }
}
