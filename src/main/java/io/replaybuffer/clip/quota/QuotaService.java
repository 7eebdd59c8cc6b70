package io.replaybuffer.clip.quota;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;

/**
 * Per-user clip storage. Space is reserved before a clip is built with one conditional UPDATE, so parallel captures
 * on any number of replicas cannot overshoot; the reservation is later settled to the real size or released. Reads
 * are cached (Caffeine) and every change invalidates the user's entry on all replicas ({@link QuotaInvalidation}).
 */
@ApplicationScoped
public class QuotaService {

    private final ReplayConfig.Quota defaults;
    private final EntityManager em;
    private final Cache cache;
    private final QuotaInvalidation invalidation;
    private final Clock clock;

    QuotaService(ReplayConfig config, EntityManager em, @CacheName("quota") Cache cache,
            QuotaInvalidation invalidation, Clock clock) {
        this.defaults = config.quota();
        this.em = em;
        this.cache = cache;
        this.invalidation = invalidation;
        this.clock = clock;
    }

    /** The user's quota, from the cache when fresh; a user with no row has used nothing and has the defaults. */
    public QuotaView read(String userId) {
        return cache.get(userId, this::load).await().indefinitely();
    }

    private QuotaView load(String userId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            UserQuota quota = UserQuota.findById(userId);
            if (quota == null) {
                return new QuotaView(0, defaults.bytes(), 0, defaults.clips());
            }
            return new QuotaView(quota.usedBytes, quota.limitBytes != null ? quota.limitBytes : defaults.bytes(),
                    quota.usedClips, quota.limitClips != null ? quota.limitClips : defaults.clips());
        });
    }

    /**
     * Within the caller's transaction: holds {@code bytes} and one clip, or returns false when they do not fit.
     * One statement: it creates the user's row on first use, or adds to it only if the result stays in the limits.
     */
    public boolean reserve(String userId, long bytes) {
        if (bytes > defaults.bytes() || defaults.clips() < 1) {
            // A first clip must fit the default limits too; an existing row's own limits are checked below.
            UserQuota existing = UserQuota.findById(userId);
            if (existing == null) {
                return false;
            }
        }
        int updated = em.createNativeQuery("INSERT INTO user_quotas (user_id, used_bytes, used_clips, updated_at) "
                + "VALUES (?1, ?2, 1, ?3) ON CONFLICT (user_id) DO UPDATE SET "
                + "used_bytes = user_quotas.used_bytes + ?2, used_clips = user_quotas.used_clips + 1, updated_at = ?3 "
                + "WHERE user_quotas.used_bytes + ?2 <= COALESCE(user_quotas.limit_bytes, ?4) "
                + "AND user_quotas.used_clips + 1 <= COALESCE(user_quotas.limit_clips, ?5)")
                .setParameter(1, userId).setParameter(2, bytes).setParameter(3, clock.instant())
                .setParameter(4, defaults.bytes()).setParameter(5, defaults.clips())
                .executeUpdate();
        return updated == 1;
    }

    /** Within the caller's transaction: turns a reservation into the clip's real size. */
    public void settle(String userId, long reserved, long actual) {
        adjust(userId, actual - reserved, 0);
    }

    /** Within the caller's transaction: gives back a reservation or a deleted clip's space. */
    public void release(String userId, long bytes) {
        adjust(userId, -bytes, -1);
    }

    private void adjust(String userId, long bytes, int clips) {
        em.createNativeQuery("UPDATE user_quotas SET used_bytes = GREATEST(used_bytes + ?2, 0), "
                + "used_clips = GREATEST(used_clips + ?3, 0), updated_at = ?4 WHERE user_id = ?1")
                .setParameter(1, userId).setParameter(2, bytes).setParameter(3, clips)
                .setParameter(4, clock.instant()).executeUpdate();
    }

    /** After the transaction that changed a user's usage: drop the cached value here and on other replicas. */
    public void changed(String userId) {
        cache.invalidate(userId).await().indefinitely();
        invalidation.publish(userId);
    }
}
