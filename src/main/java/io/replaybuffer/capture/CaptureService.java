package io.replaybuffer.capture;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.buffer.BufferService;
import io.replaybuffer.buffer.BufferViews;
import io.replaybuffer.buffer.ReplayBufferSession;
import io.replaybuffer.clip.ClipFiles;
import io.replaybuffer.clip.ClipMetrics;
import io.replaybuffer.clip.ClipOutcomes;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.clip.NewClip;
import io.replaybuffer.clip.ClipTitleValidator;
import io.replaybuffer.clip.ClipView;
import io.replaybuffer.clip.build.BuildOrder;
import io.replaybuffer.clip.build.BuildQueue;
import io.replaybuffer.clip.build.CaptureFolders;
import io.replaybuffer.clip.build.ClipBuilder;
import io.replaybuffer.clip.build.PostRollWait;
import io.replaybuffer.clip.build.PostRollWaits;
import io.replaybuffer.clip.ClipMarker;
import io.replaybuffer.marker.MarkerService;
import io.replaybuffer.segment.Footage;
import io.replaybuffer.clip.quota.QuotaExceededProblem;
import io.replaybuffer.clip.quota.QuotaService;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.error.ProblemException;
import io.replaybuffer.platform.ratelimit.UserLimits;
import io.replaybuffer.platform.security.Caller;
import io.replaybuffer.platform.storage.InsufficientStorageProblem;
import io.replaybuffer.segment.Segment;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * The capture button. In order: who asks and whether the buffer is still capturable, the window (never across a
 * gap), room on disk, a place in the build queue, the rate limit, and the quota reserved together with the clip
 * row. Then the footage is secured with hard links and the answer goes out (202): from here the capture cannot fail
 * for timing reasons, and the MP4 is built in the background. A post-roll capture secures what is recorded so far,
 * answers with {@code waitingUntil}, and {@link PostRollWaits} secures the rest as it comes, then builds.
 */
@ApplicationScoped
public class CaptureService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(CaptureService.class);
    private static final DateTimeFormatter TITLE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** Headroom over the segments' size: MP4 boxes are smaller than TS packets, plus the reserved moov. */
    private static final long OVERHEAD_BYTES = 2L << 20;

    private final BufferService buffers;
    private final BufferViews footage;
    private final UserLimits limits;
    private final QuotaService quotas;
    private final ClipStore clips;
    private final ClipOutcomes outcomes;
    private final ClipFiles clipFiles;
    private final CaptureFolders folders;
    private final BuildQueue queue;
    private final ClipBuilder builder;
    private final ClipMetrics metrics;
    private final PostRollWaits waits;
    private final MarkerService markers;
    private final ReplayConfig config;
    private final Clock clock;

    CaptureService(BufferService buffers, BufferViews footage, UserLimits limits, QuotaService quotas,
            ClipStore clips, ClipOutcomes outcomes, ClipFiles clipFiles, CaptureFolders folders, BuildQueue queue,
            ClipBuilder builder, ClipMetrics metrics, PostRollWaits waits, MarkerService markers, ReplayConfig config, Clock clock) {
        this.waits = waits;
        this.markers = markers;
        this.buffers = buffers;
        this.footage = footage;
        this.limits = limits;
        this.quotas = quotas;
        this.clips = clips;
        this.outcomes = outcomes;
        this.clipFiles = clipFiles;
        this.folders = folders;
        this.queue = queue;
        this.builder = builder;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /** A capture from one buffer: the owner's own, or a game server's or admin's for the owner. */
    public ClipView capture(Caller caller, UUID bufferId, CaptureRequest request) {
        ReplayBufferSession buffer = buffers.actingFor(caller, bufferId);
        return capture(buffer, request, CaptureOrigin.of(caller, buffer.userId));
    }

    /**
     * A capture from a buffer the caller was already checked to act for (one clip of a team replay): the clip is
     * the buffer owner's, charged to their quota, and made by {@code origin}.
     */
    public ClipView capture(ReplayBufferSession buffer, CaptureRequest request, CaptureOrigin origin) {
        metrics.attempt();
        try {
            return secure(buffer, request, origin);
        } catch (ProblemException e) {
            metrics.failed(e.type());
            throw e;
        }
    }

    private ClipView secure(ReplayBufferSession buffer, CaptureRequest request, CaptureOrigin origin) {
        Instant now = clock.instant();
        long t0 = System.nanoTime();
        if (buffer.endedAt != null && buffer.endedAt.plus(config.stoppedGrace()).isBefore(now)) {
            throw new NothingToCaptureProblem("the buffer stopped more than " + config.stoppedGrace().toMinutes()
                    + " minutes ago; its footage is gone");
        }
        // Everything that can refuse for the request's own sake comes before the permit, which is taken only for
        // work about to be done (and given back when quota, disk or footage refuse it after all).
        Footage recorded = footage.footage(buffer);
        CaptureWindow window = CaptureWindow.choose(recorded, request, minLength(),
                Duration.ofSeconds(config.maxBufferSeconds()),
                new CaptureWindow.Reach(now, Duration.ofSeconds(config.maxPostRollSeconds()), buffer.status.live()));
        long chosen = System.nanoTime();
        long estimate = estimateBytes(window, recorded);
        ensureRoom(estimate);
        long roomy = System.nanoTime();
        if (!queue.tryEnter()) {
            throw new CaptureBusyProblem("too many clips are being built; try again in a few seconds");
        }
        boolean submitted = false;
        UUID clipId = UUID.randomUUID();
        try {
            String title = request.title() != null ? ClipTitleValidator.normalise(request.title())
                    : "Replay " + TITLE.format(window.from());
            ClipView created = limits.guarded(origin.limit(), origin.limitKey(), () -> {
                List<ClipMarker> clipMarkers = window.waiting() ? List.of()
                        : markers.inClip(buffer.id, window.from(), window.to());
                ClipView reserved = reserve(new NewClip(clipId, buffer.userId, buffer.id, title,
                        window.from(), window.to(), window.requestedSeconds(), window.truncated(), estimate,
                        origin.createdBy(), origin.groupId(), window.truncatedReason(), window.waitingUntil(),
                        clipMarkers));
                if (window.waiting()) {
                    // Built later, from a free place in the queue then: this one is given back below.
                    startWaiting(clipId, buffer.id, window, recorded);
                } else {
                    BuildOrder order = secureFootage(clipId, window, clipMarkers);
                    queue.submit(() -> builder.build(order));
                }
                return reserved;
            });
            submitted = !window.waiting();
            LOG.debugf("capture %s: window %d µs, room %d µs, rate, reserve and secure %d µs", clipId,
                    (chosen - t0) / 1000, (roomy - chosen) / 1000, (System.nanoTime() - roomy) / 1000);
            return created;
        } finally {
            if (!submitted) {
                queue.leave();
            }
        }
    }

    /** The length {@code request} asks for, checked by its own rules alone (400s whatever the footage). */
    public Duration wanted(CaptureRequest request) {
        return CaptureWindow.wanted(request, minLength(), Duration.ofSeconds(config.maxBufferSeconds()));
    }

    /** Where {@code request} reaches past now (post-roll), checked as for a capture; null when it does not. */
    public Instant postRollEnd(CaptureRequest request, Duration wanted) {
        return CaptureWindow.postRollEnd(request, wanted, new CaptureWindow.Reach(clock.instant(),
                Duration.ofSeconds(config.maxPostRollSeconds()), true));
    }

    private Duration minLength() {
        return Duration.ofNanos(Math.round(config.capture().minSeconds() * 1e9));
    }

    /** Reserves the quota and creates the PROCESSING clip in one transaction: both happen or neither. */
    private ClipView reserve(NewClip spec) {
        ClipView created = QuarkusTransaction.requiringNew().call(() -> quotas.reserve(spec.userId(), spec.reservedBytes())
                ? clips.createProcessing(spec) : null);
        if (created == null) {
            throw new QuotaExceededProblem(quotas.read(spec.userId()), spec.reservedBytes());
        }
        quotas.changed(spec.userId());
        return created;
    }

    private BuildOrder secureFootage(UUID clipId, CaptureWindow window, List<ClipMarker> clipMarkers) {
        try {
            return folders.secure(clipId, window.from(), window.length(),
                    window.segments().stream().map(Segment::file).toList(),
                    window.segments().stream().map(Segment::start).toList(), clipMarkers);
        } catch (IOException e) {
            throw notSecured(clipId, e);
        }
    }

    /**
     * Post-roll: secures what is recorded of the window now and leaves the rest to {@link PostRollWaits}, which
     * continues the newest run after its last segment (the anchor) as egress lists more.
     */
    private void startWaiting(UUID clipId, UUID bufferId, CaptureWindow window, Footage recorded) {
        Segment anchor = recorded.newestRun().orElseThrow().segments().get(
                recorded.newestRun().orElseThrow().segments().size() - 1);
        try {
            waits.start(new PostRollWait(clipId, bufferId, window.from(), window.to(), window.requestedSeconds(),
                    List.of(), anchor.attempt().tag(), anchor.sequence(), anchor.end()), window.segments());
        } catch (IOException e) {
            throw notSecured(clipId, e);
        }
    }

    private ProblemException notSecured(UUID clipId, IOException e) {
        folders.remove(clipId);
        outcomes.fail(clipId, "the footage could not be secured");
        if (e.getMessage() != null && e.getMessage().contains("No space left")) {
            return new InsufficientStorageProblem("the segments volume is full; the buffer is untouched");
        }
        return new NothingToCaptureProblem("the footage of that window is no longer on disk");
    }

    /**
     * What the clip may take: the segments' size plus the MP4's overhead, and for footage still to come, as many
     * bytes a second as the newest segment holds.
     */
    private static long estimateBytes(CaptureWindow window, Footage recorded) {
        long bytes = OVERHEAD_BYTES;
        try {
            for (Segment segment : window.segments()) {
                bytes += Files.size(segment.file());
            }
            if (window.waiting()) {
                Segment newest = recorded.segments().get(recorded.segments().size() - 1);
                Instant recordedTo = window.segments().isEmpty() ? window.from()
                        : window.segments().get(window.segments().size() - 1).end();
                double toCome = Duration.between(recordedTo, window.to()).toMillis() / 1000.0;
                bytes += (long) (Files.size(newest.file()) / Math.max(0.1, newest.durationSeconds()) * toCome);
            }
        } catch (IOException e) {
            throw new NothingToCaptureProblem("the footage of that window is no longer on disk");
        }
        return bytes;
    }

    private void ensureRoom(long bytes) {
        try {
            if (Files.getFileStore(clipFiles.root()).getUsableSpace() < bytes * 2) {
                throw new InsufficientStorageProblem("the clip volume has no room for a clip of this size");
            }
        } catch (IOException e) {
            throw new InsufficientStorageProblem("the clip volume cannot be read");
        }
    }
}
