package io.replaybuffer.clip.build;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.clip.Clip;
import io.replaybuffer.clip.ClipEvents;
import io.replaybuffer.clip.ClipStatus;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.platform.redis.RedisMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Finishes builds a crash interrupted. A PROCESSING clip nobody is building is rebuilt from its secured footage when
 * its build order exists, and otherwise failed with its quota reservation released: nothing stays half done.
 * Runs at start-up and from the cleanup sweep. With several replicas, only clips untouched for a while count as
 * abandoned (a build touches its clip when it starts and takes seconds); a lone process owns every one at boot.
 */
@ApplicationScoped
public class ClipRecovery {

    private static final Logger LOG = Logger.getLogger(ClipRecovery.class);
    public static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

    private final ClipStore store;
    private final CaptureFolders folders;
    private final BuildQueue queue;
    private final ClipBuilder builder;
    private final ClipEvents events;
    private final RedisMode mode;
    private final Clock clock;

    ClipRecovery(ClipStore store, CaptureFolders folders, BuildQueue queue, ClipBuilder builder, ClipEvents events,
            RedisMode mode, Clock clock) {
        this.store = store;
        this.folders = folders;
        this.queue = queue;
        this.builder = builder;
        this.events = events;
        this.mode = mode;
        this.clock = clock;
    }

    void atStartup(@Observes StartupEvent start) {
        recover(mode.configured() ? ABANDONED_AFTER : Duration.ZERO);
    }

    /** Recovers PROCESSING clips not touched for {@code idle}; returns how many it took over. */
    public int recover(Duration idle) {
        List<UUID> abandoned = QuarkusTransaction.requiringNew().call(() -> Clip.<Clip>list(
                "status = ?1 and updatedAt <= ?2", ClipStatus.PROCESSING, clock.instant().minus(idle))
                .stream().map(c -> c.id).toList());
        for (UUID id : abandoned) {
            Optional<BuildOrder> order = folders.read(id);
            if (order.isPresent()) {
                LOG.infof("clip %s: build was interrupted; building it again from its secured footage", id);
                store.touch(id);
                queue.resubmit(() -> builder.build(order.get()));
            } else {
                LOG.warnf("clip %s: interrupted before its footage was secured; failing it", id);
                store.fail(id, "interrupted before its footage was secured").ifPresent(events::finished);
                folders.remove(id);
            }
        }
        return abandoned.size();
    }
}
