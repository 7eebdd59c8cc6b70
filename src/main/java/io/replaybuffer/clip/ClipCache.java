package io.replaybuffer.clip;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.StartupEvent;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.database.TransactionEnd;
import io.replaybuffer.platform.http.OffTheLoop;
import io.replaybuffer.platform.redis.Broadcast;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Clips and library pages read in the last moment ({@code REPLAY_CLIP_CACHE_TTL}, 1 s). The reads that repeat are the
 * ones clients make most: polling a PROCESSING clip until it is READY, paging through a library, many viewers
 * following one shared link. Each otherwise costs a transaction, a query and an entity graph: in the load benchmark's
 * profile, the ORM, its transaction and the driver were 40% of a GET's CPU.
 *
 * <p>Never staler than this: every write of a clip, all of them in {@link ClipStore} and {@link ClipOutcomes} (and the thumbnail's record in
 * {@link Thumbnails}), calls {@link #changed} inside its transaction, and once that
 * commits this replica forgets the clip and every cached page of its owner and creator, and tells the other replicas
 * over Redis ({@link Broadcast}). A read racing the commit cannot put the old row back: a clip is loaded under
 * Caffeine's per-key computation, which the forgetting waits for, and a page is stored under its user's generation
 * as it was before the load, which the change moves on. So a replica is behind the database by the broadcast's
 * delay (milliseconds), or by the TTL while Redis is unreachable. A TTL of 0 turns the cache off.
 */
@ApplicationScoped
public class ClipCache {

    static final String CHANNEL = "replay:clip-changed";
    private static final int MAX_ENTRIES = 20_000;

    /** A clip that changed, with the users whose listings may show it. */
    public record Change(UUID id, String owner, String createdBy) {
    }

    private record PageKey(String user, String listing, int limit, String cursor, long generation) {
    }

    private final boolean enabled;
    private final Broadcast broadcast;
    private final TransactionEnd transactionEnd;
    private final Cache<UUID, ClipSnapshot> clips;
    private final Cache<PageKey, ClipPage> pages;
    /** Each user's current page generation; a change takes a new number, so pages stored under the old one are dead. */
    private final Cache<String, Long> generations;
    private final AtomicLong nextGeneration = new AtomicLong();

    ClipCache(ReplayConfig config, Broadcast broadcast, TransactionEnd transactionEnd) {
        Duration ttl = config.clipCacheTtl();
        this.enabled = ttl.compareTo(Duration.ZERO) > 0;
        this.broadcast = broadcast;
        this.transactionEnd = transactionEnd;
        this.clips = recent(ttl);
        this.pages = recent(ttl);
        // Outlives the pages it numbers; if one is evicted anyway, the next number is new, so no old page matches.
        this.generations = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterAccess(Duration.ofMinutes(5))
                .build();
    }

    /** Entries for {@code ttl}; unused when the cache is off (its reads go straight to their loader). */
    private <K, V> Cache<K, V> recent(Duration ttl) {
        return Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(enabled ? ttl : Duration.ZERO).build();
    }

    void subscribe(@Observes StartupEvent start) {
        if (broadcast.enabled()) {
            broadcast.subscribe(CHANNEL, Change.class, this::forget);
        }
    }

    /** The clip, from the cache or {@code load}ed (which answers null for an unknown clip; that is not remembered). */
    ClipSnapshot clip(UUID id, Function<UUID, ClipSnapshot> load) {
        return enabled ? clips.get(id, load) : load.apply(id);
    }

    /** The clip if it was read in the last moment, else null: a lookup that never loads (nor blocks). */
    ClipSnapshot recent(UUID id) {
        return enabled ? clips.getIfPresent(id) : null;
    }

    /**
     * A page of {@code user}'s clips as {@code listing} selects them: from the cache on the caller's thread, or
     * {@code load}ed {@link OffTheLoop off the event loop}.
     */
    Uni<ClipPage> page(String user, String listing, int limit, String cursor, Supplier<ClipPage> load) {
        if (!enabled) {
            return OffTheLoop.call(load);
        }
        long generation = generations.get(user, u -> nextGeneration.incrementAndGet());
        PageKey key = new PageKey(user, listing, limit, cursor, generation);
        ClipPage recent = pages.getIfPresent(key);
        return recent != null ? Uni.createFrom().item(recent) : OffTheLoop.call(() -> pages.get(key, k -> load.get()));
    }

    /**
     * Called by every write of a clip, inside its transaction when there is one: once it ends, the clip and its
     * users' pages are forgotten here and on the other replicas. (After a rollback too: forgetting is always safe.)
     */
    void changed(UUID id, String owner, String createdBy) {
        Change change = new Change(id, owner, createdBy);
        transactionEnd.then(committed -> forgetEverywhere(change, committed));
    }

    /** {@link #changed(UUID, String, String)} for a clip entity being written. */
    void changed(Clip clip) {
        changed(clip.id, clip.userId, clip.createdBy);
    }

    private void forgetEverywhere(Change change, boolean committed) {
        forget(change);
        if (committed && broadcast.enabled()) {
            broadcast.publish(CHANNEL, Change.class, change, "clip change " + change.id());
        }
    }

    private void forget(Change change) {
        clips.invalidate(change.id());
        renumber(change.owner());
        if (!Objects.equals(change.owner(), change.createdBy())) {
            renumber(change.createdBy());
        }
    }

    private void renumber(String user) {
        if (user != null) {
            generations.put(user, nextGeneration.incrementAndGet());
        }
    }
}
