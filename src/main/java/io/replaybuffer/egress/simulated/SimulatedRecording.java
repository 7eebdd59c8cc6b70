package io.replaybuffer.egress.simulated;

import io.replaybuffer.egress.EgressState;
import io.replaybuffer.egress.EgressUpdate;
import io.replaybuffer.egress.RecordingRequest;
import io.replaybuffer.segment.SegmentLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** One simulated egress: a segment every segment duration, in real time, until stopped or failed. */
final class SimulatedRecording {

    private static final Logger LOG = Logger.getLogger(SimulatedRecording.class);

    private final String egressId;
    private final RecordingRequest request;
    private final Path directory;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Consumer<EgressUpdate> report;
    private volatile EgressState state = EgressState.STARTING;
    private volatile String error;
    private SegmentedRecording output;
    private ScheduledFuture<?> ticks;
    private Instant origin;

    SimulatedRecording(String egressId, RecordingRequest request, Path directory, Clock clock,
            ScheduledExecutorService scheduler, Consumer<EgressUpdate> report) {
        this.egressId = egressId;
        this.request = request;
        this.directory = directory;
        this.clock = clock;
        this.scheduler = scheduler;
        this.report = report;
    }

    EgressState state() {
        return state;
    }

    /**
     * The recording as LiveKit would report it. {@code segment_results} names the playlists from the start answer
     * on, joined to the storage directory ({@code pkg/config/output_segment.go} {@code updatePrefixAndPlaylist}).
     */
    EgressUpdate snapshot(EgressUpdate.Source source) {
        return new EgressUpdate(egressId, request.segmentDir(), state, error, clock.instant(), source, 0,
                List.of(new EgressUpdate.ReportedPlaylists(directory.resolve(SegmentLayout.Attempt.FIRST.playlist()).toString(),
                        directory.resolve(SegmentLayout.Attempt.FIRST.livePlaylist()).toString())));
    }

    synchronized void begin() {
        origin = clock.instant();
        long period = request.segmentSeconds() * 1000L;
        scheduler.execute(() -> transition(EgressState.ACTIVE, null));
        ticks = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    synchronized void finish() {
        if (state.ended()) {
            return;
        }
        if (ticks != null) {
            ticks.cancel(false);
        }
        scheduler.execute(() -> {
            transition(EgressState.ENDING, null);
            try {
                if (output != null) {
                    output.end();
                }
                transition(EgressState.COMPLETE, null);
            } catch (IOException e) {
                transition(EgressState.FAILED, "closing playlists failed: " + e.getMessage());
            }
        });
    }

    /** Writes the segment whose content has just finished "arriving": [origin + k·d, origin + (k+1)·d). */
    private void tick() {
        synchronized (this) {
            if (state.ended() || state == EgressState.ENDING) {
                return;
            }
        }
        try {
            if (output == null) {
                output = new SegmentedRecording(SegmentedRecording.Output.of(directory, SegmentLayout.Attempt.FIRST,
                        request.segmentSeconds(), egressId),
                        new TestPatternEncoder(TestPatternEncoder.Format.SIMULATED));
            }
            long k = output.segmentsWritten();
            output.append(origin.plus(Duration.ofSeconds(k * request.segmentSeconds())), request.segmentSeconds());
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "simulated egress %s could not write a segment", egressId);
            synchronized (this) {
                ticks.cancel(false);
            }
            transition(EgressState.FAILED, "writing a segment failed: " + e.getClass().getSimpleName());
        }
    }

    private void transition(EgressState next, String failure) {
        synchronized (this) {
            if (state.ended()) {
                return;
            }
            state = next;
            error = failure;
        }
        report.accept(snapshot(EgressUpdate.Source.SIMULATED));
    }
}
