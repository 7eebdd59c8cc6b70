package io.replaybuffer.platform.config;

import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;

/**
 * Capture admission.
 *
 * <p>The {@code replay.capture.*} group of {@link ReplayConfig} ({@code REPLAY_CAPTURE_*}).
 */
public interface CaptureSettings {
    /** REPLAY_CAPTURE_RATE: per-user limits such as {@code 3/1m,15/1h}. */
    @WithDefault("3/1m,15/1h")
    @WithConverter(RateLimit.Converter.class)
    List<RateLimit> rate();

    /**
     * REPLAY_CAPTURE_MIN_SECONDS: the shortest clip. Shorter asks are invalid (400); a window the footage cuts
     * below it has nothing to capture (409). Below one frame there would be no clip at all.
     */
    @WithDefault("1")
    @Positive
    double minSeconds();

    /** REPLAY_CAPTURE_CONCURRENCY: MP4 builds running at once on one replica. */
    @WithDefault("2")
    @Min(1)
    int concurrency();

    /** REPLAY_CAPTURE_QUEUE: builds waiting beyond those; past it a capture gets 503. */
    @WithDefault("32")
    @Min(0)
    int queue();

    /**
     * REPLAY_CAPTURE_BUILD_LEASE: how long a build's claim on its clip lasts unless renewed (a heartbeat renews it
     * every sixth of this while the build runs). Past it, another replica's recovery may take the clip over, so it
     * must stay well above a database hiccup and the replicas' clock skew.
     */
    @WithDefault("30s")
    Duration buildLease();

    /**
     * REPLAY_CAPTURE_UNCLAIMED_AFTER: a PROCESSING clip no build ever claimed (its capture died before the build
     * started) is recovered once this old. A build still waiting in a queue that long is harmless to take over:
     * whichever claims it first builds it, the other skips it.
     */
    @WithDefault("2m")
    Duration unclaimedAfter();

    /**
     * REPLAY_CAPTURE_POST_ROLL_GRACE: how long a post-roll capture waits for the rest of its footage beyond its
     * window's end plus two segment durations (egress lists a segment only once it is complete and copied).
     * Past it, the clip is built from what came, and says it was truncated.
     */
    @WithDefault("15s")
    Duration postRollGrace();
}
