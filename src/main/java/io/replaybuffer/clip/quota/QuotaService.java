package io.replaybuffer.clip.quota;

import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Reads and accounts per-user clip storage against the configured defaults or a user's own limits. */
@ApplicationScoped
public class QuotaService {

    private final ReplayConfig.Quota defaults;

    QuotaService(ReplayConfig config) {
        this.defaults = config.quota();
    }

    /** The user's quota; a user with no row yet has used nothing and has the defaults. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public QuotaView read(String userId) {
        UserQuota quota = UserQuota.findById(userId);
        if (quota == null) {
            return new QuotaView(0, defaults.bytes(), 0, defaults.clips());
        }
        return new QuotaView(quota.usedBytes,
                quota.limitBytes != null ? quota.limitBytes : defaults.bytes(),
                quota.usedClips,
                quota.limitClips != null ? quota.limitClips : defaults.clips());
    }
}
