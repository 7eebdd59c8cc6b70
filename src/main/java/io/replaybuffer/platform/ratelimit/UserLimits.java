package io.replaybuffer.platform.ratelimit;

import io.replaybuffer.platform.config.RateLimit;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Supplier;

/**
 * Per-user limits on what costs the service (or LiveKit) real work. Callers check the request first and take a
 * permit only for work they are about to do; {@link #guarded} gives the permit back when that work is refused or
 * fails after all, so a refused or invalid request never uses one up (api.md, "Limits").
 */
@ApplicationScoped
public class UserLimits {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(UserLimits.class);

    private final RateLimiter limiter;
    private final ReplayConfig config;

    UserLimits(RateLimiter limiter, ReplayConfig config) {
        this.limiter = limiter;
        this.config = config;
    }

    /** Takes one permit of {@code action} for {@code userId}, or throws {@link RateLimitedProblem}. */
    public void acquire(Limited action, String userId) {
        limiter.tryAcquire(key(action, userId), rules(action)).ifPresent(wait -> {
            throw new RateLimitedProblem(action, wait);
        });
    }

    /** Gives back a permit taken by {@link #acquire} for a request that was refused after all. */
    public void release(Limited action, String userId) {
        limiter.release(key(action, userId), rules(action));
    }

    /** Runs {@code work} under one permit, which is given back if the work throws (a refusal or a failure). */
    public <T> T guarded(Limited action, String userId, Supplier<T> work) {
        acquire(action, userId);
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            try {
                release(action, userId);
            } catch (RuntimeException lost) {
                // The answer is the refusal itself; at worst the user lost one permit until the window resets.
                LOG.warnf("could not give back a %s permit of %s: %s", action.slug(), userId, lost.toString());
            }
            throw e;
        }
    }

    List<RateLimit> rules(Limited action) {
        return switch (action) {
            case CAPTURE -> config.capture().rate();
            case BUFFER -> config.bufferRate();
            case LINK -> config.linkRate();
            case CLIP_CHANGE -> config.clipChangeRate();
            case PREVIEW -> config.previewRate();
            case GAME_SERVER_CAPTURE -> config.gameServerCaptureRate();
            case MARKER -> config.markerRate();
        };
    }

    /** The capture key predates the others and keeps its name, so counters survive an upgrade. */
    private static String key(Limited action, String userId) {
        return action.slug() + ":" + userId;
    }
}
