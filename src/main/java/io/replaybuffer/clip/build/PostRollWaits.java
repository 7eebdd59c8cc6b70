package io.replaybuffer.clip.build;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.buffer.BufferAttempts;
import io.replaybuffer.buffer.ReplayBufferSession;
import io.replaybuffer.clip.ClipEvents;
import io.replaybuffer.clip.ClipOutcomes;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.clip.ClipEnding;
import io.replaybuffer.clip.ClosedWindow;
import io.replaybuffer.marker.MarkerService;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.segment.Footage;
import io.replaybuffer.segment.Segment;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentRun;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Post-roll captures waiting on this replica for footage still to be recorded. Each holds its clip's build lease the
 * whole time (the heartbeat renews it), so if this replica dies, the lease runs out and another replica's recovery
 * resumes the wait from the capture folder's {@code wait.json}; the build that follows runs under the same claim.
 *
 * <p>Every {@link #EVERY}, while any wait is open, one pass links the segments the playlists newly list: one query
 * for the clips still held, one for their buffers, and per buffer one read of the segment index over just the tail
 * past the oldest anchor (the main playlist is cached; only the live one is read), however many clips wait on it. A
 * window closes when its footage is complete, or early, building from what came and saying so, when the buffer
 * stopped or failed, a gap broke the run, or nothing came for REPLAY_CAPTURE_POST_ROLL_GRACE past its end plus two
 * segments. Then its markers are copied and the build is queued (or the next pass tries again if the queue is full).
 */
@ApplicationScoped
public class PostRollWaits {

    private static final Logger LOG = Logger.getLogger(PostRollWaits.class);
    /** Egress lists a segment once it is complete; a quarter second more after that is within a frame or so. */
    static final Duration EVERY = Duration.ofMillis(250);

    /** One wait, and its build order once its window closed but the queue was full. */
    private record Open(PostRollWait progress, BuildLeases.Attempt attempt, BuildOrder order) {
    }

    private final ClipStore store;
    private final ClipOutcomes outcomes;
    private final BuildLeases leases;
    private final CaptureFolders folders;
    private final BuildQueue queue;
    private final ClipBuilder builder;
    private final ClipEvents events;
    private final SegmentIndex index;
    private final BufferAttempts attempts;
    private final MarkerService markers;
    private final Clock clock;
    private final Duration lateAfter;
    private final Duration minLength;
    private final Map<UUID, Open> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "post-roll");
        thread.setDaemon(true);
        return thread;
    });

    PostRollWaits(ClipStore store, ClipOutcomes outcomes, BuildLeases leases, CaptureFolders folders, BuildQueue queue,
            ClipBuilder builder, ClipEvents events, SegmentIndex index, BufferAttempts attempts, MarkerService markers, Clock clock,
            ReplayConfig config) {
        this.store = store;
        this.outcomes = outcomes;
        this.leases = leases;
        this.folders = folders;
        this.queue = queue;
        this.builder = builder;
        this.events = events;
        this.index = index;
        this.attempts = attempts;
        this.markers = markers;
        this.clock = clock;
        this.lateAfter = config.capture().postRollGrace().plusSeconds(2L * config.segmentDurationSeconds());
        this.minLength = Duration.ofNanos(Math.round(config.capture().minSeconds() * 1e9));
        ticker.scheduleWithFixedDelay(this::tick, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts waiting for a new post-roll capture (its PROCESSING row exists): claims its build lease, links the
     * footage already recorded and writes its progress. On failure the claim is let go and the exception thrown.
     */
    public void start(PostRollWait wait, List<Segment> recorded) throws IOException {
        BuildLeases.Attempt attempt = leases.claim(wait.clipId());
        if (!attempt.holds()) {
            throw new IllegalStateException("a new clip " + wait.clipId() + " is held elsewhere: " + attempt.claim());
        }
        try {
            List<BuildOrder.Segment> linked = folders.link(wait.clipId(), 0, recorded.stream().map(Segment::file).toList(),
                    recorded.stream().map(Segment::start).toList());
            PostRollWait started = new PostRollWait(wait.clipId(), wait.bufferId(), wait.from(), wait.to(),
                    wait.requestedSeconds(), linked, wait.attempt(), wait.lastSequence(), wait.lastEnd());
            folders.writeWait(started);
            open.put(wait.clipId(), new Open(started, attempt, null));
        } catch (IOException | RuntimeException e) {
            leases.giveUp(attempt);
            throw e;
        }
    }

    /** Recovery claimed a clip whose capture folder holds a wait: this replica waits on from here. */
    public void resume(PostRollWait wait, BuildLeases.Attempt attempt) {
        LOG.infof("clip %s: resuming its wait for post-roll footage until %s", wait.clipId(), wait.to());
        open.put(wait.clipId(), new Open(wait, attempt, null));
    }

    /** How many post-roll captures wait on this replica. */
    public int waiting() {
        return open.size();
    }

    /** One pass over every open wait; never throws (the next pass retries). */
    void tick() {
        if (open.isEmpty()) {
            return;
        }
        try {
            pass(clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf(e, "post-roll pass failed; the next one retries");
        }
    }

    private void pass(Instant now) {
        Set<UUID> held = leases.held(open.values().stream().map(o -> o.attempt().id()).toList());
        for (Open wait : List.copyOf(open.values())) {
            if (!held.contains(wait.progress().clipId())) {
                drop(wait, "it was deleted or taken over");
            }
        }
        Map<UUID, List<Open>> byBuffer = open.values().stream().collect(Collectors.groupingBy(o -> o.progress().bufferId()));
        Map<UUID, ReplayBufferSession> buffers = QuarkusTransaction.requiringNew().call(() -> ReplayBufferSession
                .<ReplayBufferSession>list("id in ?1", List.copyOf(byBuffer.keySet())).stream()
                .collect(Collectors.toMap(b -> b.id, Function.identity())));
        for (Map.Entry<UUID, List<Open>> entry : byBuffer.entrySet()) {
            try {
                advance(buffers.get(entry.getKey()), entry.getValue(), now);
            } catch (IOException | RuntimeException e) {
                LOG.warnf(e, "post-roll: buffer %s could not be read; the next pass retries", entry.getKey());
            }
        }
    }

    private void advance(ReplayBufferSession buffer, List<Open> waits, Instant now) throws IOException {
        Footage footage = Footage.NONE;
        if (buffer != null) {
            Instant oldestAnchor = waits.stream().map(o -> o.progress().lastEnd()).min(Instant::compareTo).orElse(now);
            // From the oldest anchor on, with room for a clock step between this replica and egress' timestamps.
            Duration tail = Duration.between(oldestAnchor, now).abs().plus(lateAfter.multipliedBy(2));
            footage = index.footage(buffer.segmentDir, attempts.of(buffer.id),
                    tail.compareTo(Duration.ofSeconds(buffer.bufferSeconds)) < 0 ? tail : Duration.ofSeconds(buffer.bufferSeconds));
        }
        for (Open wait : waits) {
            if (wait.order() != null) {
                submit(wait);
                continue;
            }
            PostRollWait current;
            try {
                current = secureNew(wait, footage);
            } catch (IOException e) {
                // A segment gone before it was linked (swept, or the volume failed): no progress this pass; the window
                // closes on what it has when its grace ends.
                LOG.warnf("clip %s: could not secure new post-roll footage: %s", wait.progress().clipId(), e.toString());
                current = wait.progress();
            }
            Optional<SegmentRun> run = current.run(footage);
            String early = current.complete() ? null
                    : buffer == null || buffer.status.finished() ? "the buffer stopped before the post-roll was recorded"
                    : run.isPresent() && !run.get().equals(footage.newestRun().orElseThrow())
                            ? "a gap in the recording ended the window early"
                    : now.isAfter(current.to().plus(lateAfter)) ? "no more footage was recorded in time"
                    : null;
            if (current.complete() || early != null) {
                close(new Open(current, wait.attempt(), null), early);
            } else if (current != wait.progress()) {
                open.put(current.clipId(), new Open(current, wait.attempt(), null));
            }
        }
    }

    /** Links the segments listed since the last pass that reach into the window; returns the progress after them. */
    private PostRollWait secureNew(Open wait, Footage footage) throws IOException {
        PostRollWait current = wait.progress();
        Optional<SegmentRun> run = current.run(footage);
        if (run.isEmpty()) {
            return current;
        }
        List<Segment> passed = PostRollWait.following(run.get(), current);
        if (passed.isEmpty()) {
            return current;
        }
        List<Segment> inside = passed.stream().filter(s -> s.end().isAfter(current.from())).toList();
        List<BuildOrder.Segment> linked = folders.link(current.clipId(), current.secured().size(),
                inside.stream().map(Segment::file).toList(), inside.stream().map(Segment::start).toList());
        PostRollWait next = current.after(passed, linked);
        folders.writeWait(next);
        return next;
    }

    /** The window is as complete as it gets: record it, copy its markers, and queue the build (or fail the clip). */
    private void close(Open wait, String early) throws IOException {
        PostRollWait w = wait.progress();
        Instant from = w.clipFrom();
        Instant to = w.clipTo();
        if (w.secured().isEmpty() || Duration.between(from, to).compareTo(minLength) < 0) {
            fail(wait, early != null ? early : "no footage of that window was recorded");
            return;
        }
        boolean truncated = Duration.ofNanos(Math.round(w.requestedSeconds() * 1e9)).minus(Duration.between(from, to))
                .compareTo(PostRollWait.TOLERANCE) > 0;
        var clipMarkers = markers.inClip(w.bufferId(), from, to);
        if (!store.closeWindow(w.clipId(), wait.attempt().id(), new ClosedWindow(from, to, truncated,
                truncated ? early : null, clipMarkers))) {
            drop(wait, "it was deleted or taken over");
            return;
        }
        BuildOrder order = folders.writeOrder(new BuildOrder(w.clipId(), from, Duration.between(from, to), w.secured(),
                clipMarkers));
        LOG.debugf("clip %s: post-roll window closed (%s); building", w.clipId(), early == null ? "complete" : early);
        submit(new Open(w, wait.attempt(), order));
    }

    private void submit(Open wait) {
        if (queue.trySubmit(() -> builder.build(wait.order(), wait.attempt()))) {
            open.remove(wait.progress().clipId());
        } else {
            open.put(wait.progress().clipId(), wait); // the queue is full: the next pass tries again
        }
    }

    private void fail(Open wait, String reason) {
        UUID id = wait.progress().clipId();
        ClipEnding ending = outcomes.fail(id, wait.attempt().id(), reason);
        open.remove(id);
        leases.end(wait.attempt());
        if (ending.ended()) {
            events.finished(ending.clip());
        }
        if (ending.outcome() != ClipEnding.Outcome.NOT_HELD) {
            folders.remove(id);
        }
    }

    private void drop(Open wait, String why) {
        UUID id = wait.progress().clipId();
        open.remove(id);
        leases.end(wait.attempt());
        LOG.infof("clip %s: no longer waiting for post-roll footage: %s", id, why);
        if (!store.processing(id)) {
            folders.remove(id); // deleted (or ended): nobody reads its folder any more
        }
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
    }
}
