package io.replaybuffer.clip.build;

import io.replaybuffer.clip.ClipLeases;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The leases this replica's build attempts hold on their clips (REPLAY_CAPTURE_BUILD_LEASE). A heartbeat renews them
 * all, in one statement, every sixth of the lease while they are queued or running, so a lease runs out only when
 * this replica died or lost the database for that long; then another replica's recovery may take the clip over, and
 * this attempt finds out before it publishes.
 */
@ApplicationScoped
public class BuildLeases {

    private static final Logger LOG = Logger.getLogger(BuildLeases.class);

    /** One attempt at building a clip, and how its claim went; only a {@link #holds() holding} one may build. */
    public record Attempt(UUID clipId, UUID id, ClipLeases.Claim claim) {
        public boolean holds() {
            return claim == ClipLeases.Claim.CLAIMED;
        }
    }

    private final ClipLeases store;
    private final Clock clock;
    private final Duration lease;
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "clip-build-lease");
        thread.setDaemon(true);
        return thread;
    });

    BuildLeases(ClipLeases store, Clock clock, ReplayConfig config) {
        this.store = store;
        this.clock = clock;
        this.lease = config.capture().buildLease();
        long every = Math.max(100, lease.toMillis() / 6);
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** A new attempt claims the clip as of now. */
    public Attempt claim(UUID clipId) {
        return claim(clipId, clock.instant());
    }

    /** A new attempt claims the clip, counting leases that ran out before {@code now} as free. */
    public Attempt claim(UUID clipId, Instant now) {
        UUID id = UUID.randomUUID(); // per attempt: two attempts on one replica are told apart too
        ClipLeases.Claim claim = store.claim(clipId, id, now, lease);
        if (claim == ClipLeases.Claim.CLAIMED) {
            held.add(id);
        }
        return new Attempt(clipId, id, claim);
    }

    /** Renews the attempt's lease now; false when it lost its clip (another attempt took over, or the clip ended). */
    public boolean stillHeld(Attempt attempt) {
        return attempt.holds() && store.renew(attempt.clipId(), attempt.id(), lease);
    }

    /** The attempt is over (its clip ended, or it gave up): the heartbeat stops renewing it. */
    public void end(Attempt attempt) {
        held.remove(attempt.id());
    }

    /** The attempt will not build after all: its claim is let go at once instead of running out. */
    public void giveUp(Attempt attempt) {
        end(attempt);
        if (attempt.holds()) {
            store.release(attempt.clipId(), attempt.id());
        }
    }

    public Duration lease() {
        return lease;
    }

    /** Of the clips these attempts claimed, those they still hold. */
    public Set<UUID> held(java.util.Collection<UUID> attempts) {
        return store.held(attempts);
    }

    /** A lone process at boot: every lease belongs to a build that died with the previous process. */
    public int dropAll() {
        return store.dropAllLeases();
    }

    /** PROCESSING clips nobody is building (see {@link ClipLeases#abandoned}). */
    public java.util.List<UUID> abandoned(Instant now, Instant unclaimedBefore, int limit) {
        return store.abandoned(now, unclaimedBefore, limit);
    }

    private void beat() {
        try {
            store.renewAll(Set.copyOf(held), lease);
        } catch (RuntimeException e) {
            // The builds go on; each checks its lease before publishing. Several missed beats in a row let it run out.
            LOG.warnf("could not renew %d build leases: %s", held.size(), e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        heartbeat.shutdownNow();
    }
}
