package io.replaybuffer.platform.config;

import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * The segment sweep and the disk guard.
 *
 * <p>The {@code replay.cleanup.*} group of {@link ReplayConfig} ({@code REPLAY_CLEANUP_*}).
 */
public interface CleanupSettings {
    /** REPLAY_CLEANUP_EVERY. */
    @WithDefault("60s")
    String every();

    /** REPLAY_CLEANUP_FIRST_AFTER: the first sweep after start-up (let the replica settle first). */
    @WithDefault("30s")
    String firstAfter();

    /** REPLAY_CLEANUP_HIGH_WATER_PERCENT: segment volume use above which buffers are trimmed oldest first. */
    @WithDefault("85")
    @Min(1) @Max(100)
    int highWaterPercent();

    /** REPLAY_CLEANUP_CRITICAL_PERCENT: above this, new buffers are refused (captures keep working). */
    @WithDefault("95")
    @Min(1) @Max(100)
    int criticalPercent();

    /** REPLAY_CLEANUP_MIN_WINDOW_SECONDS: the disk guard never trims a buffer below this. */
    @WithDefault("60")
    @Min(1)
    int minWindowSeconds();

    /** REPLAY_CLEANUP_ABANDONED_AFTER: leftovers of a crash (capture folders, temp files) older than this go. */
    @WithDefault("1h")
    Duration abandonedAfter();

    /**
     * REPLAY_CLEANUP_MISSING_CONFIRM_AFTER: the clip audit fails a READY clip whose file is absent only when an
     * audit at least this long after the first one finds it absent again (a volume that blinked comes back).
     */
    @WithDefault("10m")
    Duration missingConfirmAfter();
}
