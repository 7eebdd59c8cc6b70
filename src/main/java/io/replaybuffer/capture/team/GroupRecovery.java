package io.replaybuffer.capture.team;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Settles team replays that nothing else will: a group whose capture request died before sealing it (a restart
 * half-way through the players), or whose last PROCESSING clip was deleted rather than ended. Every group still
 * PROCESSING after REPLAY_CAPTURE_UNCLAIMED_AFTER is sealed and settled if its clips are done; one whose clips are
 * still being built (their own recovery rebuilds them after a restart) settles when the last one ends.
 */
@ApplicationScoped
public class GroupRecovery {

    private static final Logger LOG = Logger.getLogger(GroupRecovery.class);
    private static final int BATCH = 100;

    private final CaptureGroupStore groups;
    private final Clock clock;
    private final Duration unclaimedAfter;

    GroupRecovery(CaptureGroupStore groups, Clock clock, ReplayConfig config) {
        this.groups = groups;
        this.clock = clock;
        this.unclaimedAfter = config.capture().unclaimedAfter();
    }

    void atStartup(@Observes StartupEvent start) {
        run();
    }

    @Scheduled(identity = "capture-group-recovery", every = "${replay.cleanup.every}",
            delayed = "${replay.cleanup.first-after}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            recover(clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf(e, "settling abandoned capture groups failed; the next run retries");
        }
    }

    /** Seals and, where their clips are done, settles the groups left PROCESSING as of {@code now}. */
    public List<UUID> recover(Instant now) {
        List<UUID> stale = groups.unsettled(now.minus(unclaimedAfter), BATCH);
        for (UUID id : stale) {
            groups.sealAbandoned(id);
        }
        return stale;
    }
}
