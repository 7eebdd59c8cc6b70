package io.replaybuffer.buffer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.egress.EgressGateway;
import io.replaybuffer.egress.EgressUpdate;
import io.replaybuffer.egress.Participant;
import io.replaybuffer.egress.RecordingRequest;
import io.replaybuffer.egress.RoomRoster;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.error.InvalidRequestProblem;
import io.replaybuffer.platform.error.NotFoundProblem;
import io.replaybuffer.platform.ratelimit.Limited;
import io.replaybuffer.platform.ratelimit.UserLimits;
import io.replaybuffer.platform.security.Caller;
import io.replaybuffer.platform.storage.InsufficientStorageProblem;
import io.replaybuffer.platform.storage.StorageRoots;
import io.replaybuffer.platform.storage.VolumeUsage;
import io.replaybuffer.segment.SegmentLayout;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Starts, reads and stops replay buffers, and keeps their state in step with egress. Database transactions stay short
 * and never span a LiveKit call: a slow LiveKit must not hold row locks, and a crash between the steps leaves a
 * STARTING or STOPPING row that the reconciler finishes.
 */
@ApplicationScoped
public class BufferService {

    private static final Logger LOG = Logger.getLogger(BufferService.class);

    private final BufferStore store;
    private final BufferViews views;
    private final BufferEvents events;
    private final BufferMetrics metrics;
    private final EgressGateway egress;
    private final RoomRoster roster;
    private final ReplayConfig config;
    private final Clock clock;
    private final java.nio.file.Path segmentsRoot;
    private final UserLimits limits;

    BufferService(BufferStore store, BufferViews views, BufferEvents events, BufferMetrics metrics,
            EgressGateway egress, RoomRoster roster, ReplayConfig config, Clock clock, StorageRoots roots,
            UserLimits limits) {
        this.segmentsRoot = roots.segments();
        this.limits = limits;
        this.store = store;
        this.views = views;
        this.events = events;
        this.metrics = metrics;
        this.egress = egress;
        this.roster = roster;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Starts recording the request's tracks for the participant they belong to. Checks with LiveKit first that the
     * participant is the caller (admins may record anyone) and really publishes those tracks; a user's previous live
     * buffer is stopped. Answers once egress has accepted the request.
     */
    public BufferView start(Caller caller, StartBufferRequest request) {
        int seconds = request.bufferSeconds() != null ? request.bufferSeconds() : config.bufferSeconds();
        if (seconds < config.segmentDurationSeconds() || seconds > config.maxBufferSeconds()) {
            throw new InvalidRequestProblem("bufferSeconds", "must be between " + config.segmentDurationSeconds()
                    + " (one segment) and " + config.maxBufferSeconds());
        }
        if (!caller.admin() && !request.participantIdentity().equals(caller.id())) {
            throw new NotYourParticipantProblem("participantIdentity must be the caller's own identity");
        }
        if (VolumeUsage.used(segmentsRoot) * 100 >= config.cleanup().criticalPercent()) {
            // Captures still work; a new buffer would only make the disk guard trim everyone harder.
            throw new InsufficientStorageProblem("the segments volume is critically full; try again later");
        }
        // The permit covers the LiveKit calls from here on; a refusal by LiveKit (no such participant or track,
        // LiveKit down) gives it back, as every refusal does.
        return limits.guarded(Limited.BUFFER, caller.id(), () -> startVerified(caller, request, seconds));
    }

    private BufferView startVerified(Caller caller, StartBufferRequest request, int seconds) {
        verifyTracks(request);

        UUID id = UUID.randomUUID();
        String owner = request.participantIdentity();
        Replacement replacement;
        try {
            replacement = QuarkusTransaction.requiringNew().call(() -> {
                List<ReplayBufferSession> live = store.liveOf(owner);
                live.forEach(store::stopping);
                ReplayBufferSession.flush(); // the old row leaves the one-live-buffer index before the new one enters
                return new Replacement(live, insert(id, owner, request, seconds));
            });
        } catch (PersistenceException e) {
            throw new BufferConflictProblem("another buffer for " + owner + " started at the same moment; try again");
        }
        replacement.replaced().forEach(this::stopEgressOf);
        ReplayBufferSession created = replacement.created();
        changed(created);

        EgressUpdate started;
        try {
            started = egress.start(new RecordingRequest(request.roomName(), request.participantIdentity(),
                    request.videoTrackId(), request.audioTrackId(), created.segmentDir, config.segmentDurationSeconds()));
        } catch (RuntimeException e) {
            fail(id, "egress did not start: " + e.getMessage());
            throw e;
        }
        onEgressUpdate(started);
        return get(caller, id);
    }

    private void verifyTracks(StartBufferRequest request) {
        Participant participant = roster.participant(request.roomName(), request.participantIdentity())
                .orElseThrow(() -> new ParticipantNotFoundProblem("no participant " + request.participantIdentity()
                        + " in room " + request.roomName()));
        if (!participant.publishesVideo(request.videoTrackId())) {
            throw new TrackNotPublishedProblem("videoTrackId", "the participant publishes no video track "
                    + request.videoTrackId());
        }
        if (request.audioTrackId() != null && !participant.publishesAudio(request.audioTrackId())) {
            throw new TrackNotPublishedProblem("audioTrackId", "the participant publishes no audio track "
                    + request.audioTrackId());
        }
    }

    private record Replacement(List<ReplayBufferSession> replaced, ReplayBufferSession created) {
    }

    private ReplayBufferSession insert(UUID id, String owner, StartBufferRequest request, int seconds) {
        Instant now = clock.instant();
        ReplayBufferSession session = new ReplayBufferSession();
        session.id = id;
        session.userId = owner;
        session.roomName = request.roomName();
        session.participantIdentity = request.participantIdentity();
        session.videoTrackId = request.videoTrackId();
        session.audioTrackId = request.audioTrackId();
        session.status = BufferStatus.STARTING;
        session.segmentDir = SegmentLayout.dirName(id);
        session.bufferSeconds = seconds;
        session.startedAt = now;
        session.updatedAt = now;
        session.persistAndFlush();
        events.changing(session); // buffer.started, committed with the row
        return session;
    }

    /** One buffer's view: its owner's and admins', and game servers' (who list buffers anyway). */
    public BufferView get(Caller caller, UUID id) {
        ReplayBufferSession session = QuarkusTransaction.joiningExisting().call(() -> ReplayBufferSession.<ReplayBufferSession>findById(id));
        if (session == null || !(caller.mayAccess(session.userId) || caller.gameServer())) {
            throw new NotFoundProblem("replay buffer");
        }
        return views.of(session);
    }

    /** The row itself, for features downstream (capture) that need its directory and window. */
    public ReplayBufferSession owned(Caller caller, UUID id) {
        ReplayBufferSession session = QuarkusTransaction.joiningExisting().call(() -> ReplayBufferSession.<ReplayBufferSession>findById(id));
        if (session == null || !caller.mayAccess(session.userId)) {
            throw new NotFoundProblem("replay buffer");
        }
        return session;
    }

    /**
     * A buffer the caller may act on (capture from, mark): the owner's, or any for a game server or admin. Others'
     * are 404 as always.
     */
    public ReplayBufferSession actingFor(Caller caller, UUID id) {
        ReplayBufferSession session = QuarkusTransaction.joiningExisting().call(() -> ReplayBufferSession.<ReplayBufferSession>findById(id));
        if (session == null || !caller.mayActFor(session.userId)) {
            throw new NotFoundProblem("replay buffer");
        }
        return session;
    }

    /**
     * Game servers and admins: the recording buffers matching the filters. A plain user is refused by role (403),
     * which reveals nothing: the endpoint is the same for everyone.
     */
    public List<BufferView> recording(Caller caller, BufferFilter asked) {
        if (!caller.admin() && !caller.gameServer()) {
            throw new io.quarkus.security.ForbiddenException("listing buffers is for game servers and admins");
        }
        BufferFilter filter = asked.validated();
        return QuarkusTransaction.joiningExisting().call(() -> store.recording(filter.userId(), filter.roomName(),
                filter.participantIdentity(), filter.limit())).stream().map(views::of).toList();
    }

    /** The recording buffers in a room, newest first: a team replay's candidates (its caller was checked). */
    public List<ReplayBufferSession> recordingIn(String roomName, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> store.recording(null, roomName, null, limit));
    }

    public Optional<BufferView> current(Caller caller) {
        return QuarkusTransaction.joiningExisting().call(() -> store.current(caller.id())).map(views::of);
    }

    /** Stops a buffer. Its segments stay capturable until cleanup's grace period has passed. */
    public BufferView stop(Caller caller, UUID id) {
        owned(caller, id); // an unknown buffer is 404 and costs no permit
        return limits.guarded(Limited.BUFFER, caller.id(), () -> stopOwned(caller, id));
    }

    private BufferView stopOwned(Caller caller, UUID id) {
        ReplayBufferSession session = QuarkusTransaction.requiringNew().call(() -> {
            ReplayBufferSession locked = store.lock(id).filter(s -> caller.mayAccess(s.userId))
                    .orElseThrow(() -> new NotFoundProblem("replay buffer"));
            store.stopping(locked);
            return locked;
        });
        stopEgressOf(session);
        return get(caller, id);
    }

    /** Asks egress to stop a STOPPING buffer; if LiveKit is unreachable the reconciler asks again later. */
    void stopEgressOf(ReplayBufferSession session) {
        if (session.egressId == null) {
            // No egress yet (its start is in flight or failed): nothing to stop.
            finishIfStillStopping(session.id);
            return;
        }
        try {
            Optional<EgressUpdate> after = egress.stop(session.egressId);
            if (after.isPresent()) {
                onEgressUpdate(after.get());
            } else {
                finishIfStillStopping(session.id); // it had already ended: stopping succeeded
            }
        } catch (RuntimeException e) {
            LOG.warnf("stopping egress %s of buffer %s failed (%s); the reconciler will retry",
                    session.egressId, session.id, e.getMessage());
        }
    }

    private void finishIfStillStopping(UUID id) {
        QuarkusTransaction.requiringNew().call(() -> store.lock(id).filter(s -> s.status == BufferStatus.STOPPING)
                .map(s -> {
                    store.finish(s, BufferStatus.STOPPED, null);
                    return s;
                })).ifPresent(this::changed);
    }

    /** Marks a buffer FAILED (its egress never started, or is gone). */
    void fail(UUID id, String reason) {
        QuarkusTransaction.requiringNew().call(() -> store.lock(id).filter(s -> !s.status.finished()).map(s -> {
            store.finish(s, BufferStatus.FAILED, reason);
            return s;
        })).ifPresent(this::changed);
    }

    /** Every piece of egress news (webhook, simulated egress, reconcile, start/stop answers) comes through here. */
    public void onEgressUpdate(@Observes EgressUpdate update) {
        apply(update);
    }

    /** Applies egress news; true when a buffer records with that egress afterwards (it was, or is now, adopted). */
    boolean apply(EgressUpdate update) {
        return applyTo(update).filter(session -> update.egressId().equals(session.egressId) && session.status.live())
                .isPresent();
    }

    /** Applies egress news: the buffer it is about as it is afterwards, or empty when it is about none. */
    Optional<ReplayBufferSession> applyTo(EgressUpdate update) {
        record Applied(ReplayBufferSession session, boolean changed) {
        }
        Applied applied = QuarkusTransaction.requiringNew().call(() -> store.lockFor(update)
                .map(session -> new Applied(session, store.apply(session, update))).orElse(null));
        if (applied == null) {
            return Optional.empty();
        }
        if (applied.changed()) {
            LOG.debugf("buffer %s is %s after %s %s from %s", applied.session().id, applied.session().status,
                    update.egressId(), update.state(), update.source());
            changed(applied.session());
        }
        return Optional.of(applied.session());
    }

    private void changed(ReplayBufferSession session) {
        metrics.refresh();
        events.changed(session);
    }
}
