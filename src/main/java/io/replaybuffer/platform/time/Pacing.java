package io.replaybuffer.platform.time;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Starts paced background passes (REPLAY_BACKGROUND_SHARE) and counts where their time went, in
 * {@code replay_buffer_background_seconds_total{job, state="working"|"paused"}}: a pass that pauses most of its time
 * is being held back, one that never does is running flat out.
 */
@ApplicationScoped
public class Pacing {

    private final double share;
    private final MeterRegistry registry;

    Pacing(ReplayConfig config, MeterRegistry registry) {
        this.share = config.backgroundShare();
        this.registry = registry;
    }

    /**
     * A pass of {@code job} over about {@code items} pieces of work, to end {@code within} after it starts however
     * large the fleet (Pace); close it when done, so its time is counted.
     */
    public Pace start(String job, int items, Duration within) {
        return new Pace(share, items, within, System::nanoTime, TimeUnit.NANOSECONDS::sleep, pace -> {
            counter(job, "working").increment(pace.working().toNanos() / 1e9);
            counter(job, "paused").increment(pace.paused().toNanos() / 1e9);
        });
    }

    private Counter counter(String job, String state) {
        return Counter.builder("replay_buffer_background_seconds_total")
                .description("Time background passes spent working and pausing (REPLAY_BACKGROUND_SHARE)")
                .tags("job", job, "state", state).register(registry);
    }
}
