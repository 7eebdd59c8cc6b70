package io.replaybuffer.clip.build;

import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.clip.ClipEvents;
import io.replaybuffer.clip.ClipOutcomes;
import io.replaybuffer.clip.ClipEnding;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.redis.RedisMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finishes builds a crash interrupted. A PROCESSING clip nobody is building (its build lease ran out, or no build
 * ever claimed it and it is older than REPLAY_CAPTURE_UNCLAIMED_AFTER) is claimed here first, so of several replicas
 * recovering at once only one takes it; then it is rebuilt from its secured footage when its build order exists, and
 * otherwise failed with its quota reservation released: nothing stays half done. A post-roll capture that was still
 * waiting for footage ({@code wait.json}, no order yet) goes on waiting here ({@link PostRollWaits}). Runs at
 * start-up and from the cleanup sweep, whose thread it never blocks: with the build queue full, the rest waits for
 * the next sweep.
 */
@ApplicationScoped
public class ClipRecovery {

    private static final Logger LOG = Logger.getLogger(ClipRecovery.class);
    /** Clips looked at per run; more wait for the next sweep (the queue takes a few dozen at most anyway). */
    private static final int BATCH = 100;

    private final ClipOutcomes store;
    private final BuildLeases leases;
    private final CaptureFolders folders;
    private final BuildQueue queue;
    private final ClipBuilder builder;
    private final ClipEvents events;
    private final PostRollWaits waits;
    private final RedisMode mode;
    private final Clock clock;
    private final Duration unclaimedAfter;

    ClipRecovery(ClipOutcomes store, BuildLeases leases, CaptureFolders folders, BuildQueue queue, ClipBuilder builder,
            ClipEvents events, PostRollWaits waits, RedisMode mode, Clock clock, ReplayConfig config) {
        this.waits = waits;
        this.store = store;
        this.leases = leases;
        this.folders = folders;
        this.queue = queue;
        this.builder = builder;
        this.events = events;
        this.mode = mode;
        this.clock = clock;
        this.unclaimedAfter = config.capture().unclaimedAfter();
    }

    void atStartup(@Observes StartupEvent start) {
        Instant now = clock.instant();
        try {
            if (mode.configured()) {
                recover(now);
            } else {
                // A lone process (the run command, no Redis): every lease died with its previous run, every clip is
                // ours.
                leases.dropAll();
                recover(now, now);
            }
        } catch (RuntimeException e) {
            // Never a reason not to start: the sweep runs recovery again within a minute.
            LOG.warnf(e, "recovering interrupted builds at start-up failed; the next sweep retries");
        }
    }

    /** Takes over the PROCESSING clips nobody is building as of {@code now}; returns those it took. */
    public List<UUID> recover(Instant now) {
        return recover(now, now.minus(unclaimedAfter));
    }

    private List<UUID> recover(Instant now, Instant unclaimedBefore) {
        List<UUID> abandoned = leases.abandoned(now, unclaimedBefore, BATCH);
        List<UUID> taken = new ArrayList<>();
        for (UUID id : abandoned) {
            BuildLeases.Attempt attempt = leases.claim(id, now);
            if (!attempt.holds()) {
                continue; // another replica's recovery, or the clip's own queued build, got there first
            }
            Optional<BuildOrder> order = folders.read(id);
            Optional<PostRollWait> wait = order.isEmpty() ? folders.readWait(id) : Optional.empty();
            if (wait.isPresent()) {
                waits.resume(wait.get(), attempt); // a post-roll capture: its wait goes on here, under this claim
                taken.add(id);
                continue;
            }
            if (order.isEmpty()) {
                LOG.warnf("clip %s: interrupted before its footage was secured; failing it", id);
                ClipEnding failed = store.fail(id, attempt.id(), "interrupted before its footage was secured");
                leases.end(attempt);
                if (failed.ended()) {
                    events.finished(failed.clip());
                }
                if (failed.outcome() != ClipEnding.Outcome.NOT_HELD) {
                    folders.remove(id); // whatever part of the footage was linked: nobody will read it
                }
                taken.add(id);
                continue;
            }
            if (!queue.trySubmit(() -> builder.build(order.get(), attempt))) {
                leases.giveUp(attempt);
                LOG.infof("build queue full: %d interrupted clips wait for the next recovery", abandoned.size() - taken.size());
                break;
            }
            LOG.infof("clip %s: build was interrupted; building it again from its secured footage", id);
            taken.add(id);
        }
        return taken;
    }
}
