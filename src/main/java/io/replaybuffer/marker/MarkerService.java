package io.replaybuffer.marker;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.buffer.BufferService;
import io.replaybuffer.buffer.BufferViews;
import io.replaybuffer.buffer.ReplayBufferSession;
import io.replaybuffer.clip.ClipMarker;
import io.replaybuffer.platform.config.ReplayConfig;
import io.replaybuffer.platform.error.InvalidRequestProblem;
import io.replaybuffer.platform.events.EventHub;
import io.replaybuffer.platform.ratelimit.Limited;
import io.replaybuffer.platform.ratelimit.UserLimits;
import io.replaybuffer.platform.security.Caller;
import io.replaybuffer.platform.webhook.Outbox;
import io.replaybuffer.platform.webhook.WebhookEventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Markers (api.md, "Replay buffers"): moments the player, a game server or an admin marks in a buffer. A marker
 * belongs to the buffer's footage: it is listed while that footage is in the buffer, copied into the clips that cover
 * it (as their {@code markers} and MP4 chapters), and swept with the footage.
 */
@ApplicationScoped
public class MarkerService {

    /** The database's limit (buffer_markers.label), in characters (code points) as PostgreSQL counts them. */
    public static final int MAX_LABEL = 100;
    /** How far ahead of now a marker may be placed: a game marks what is about to happen ("boss in 3 s"). */
    public static final Duration AHEAD = Duration.ofSeconds(5);
    /** A listing's cap: far above what REPLAY_MARKER_RATE lets into one buffer window. */
    private static final int MAX_LISTED = 1000;

    private final BufferService buffers;
    private final BufferViews views;
    private final UserLimits limits;
    private final Outbox outbox;
    private final EventHub hub;
    private final EntityManager em;
    private final ReplayConfig config;
    private final Clock clock;

    MarkerService(BufferService buffers, BufferViews views, UserLimits limits, Outbox outbox, EventHub hub,
            EntityManager em, ReplayConfig config, Clock clock) {
        this.buffers = buffers;
        this.views = views;
        this.limits = limits;
        this.outbox = outbox;
        this.hub = hub;
        this.em = em;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Marks a moment of a buffer the caller may act for (its owner, a game server, an admin; anyone else gets 404).
     * The request is checked before a permit of the owner's REPLAY_MARKER_RATE is taken; the row and its
     * {@code marker.created} webhook commit together.
     */
    public MarkerView mark(Caller caller, UUID bufferId, MarkerRequest request) {
        ReplayBufferSession buffer = buffers.actingFor(caller, bufferId);
        String label = label(request.label());
        Instant now = clock.instant();
        Instant at = request.at() != null ? request.at() : now;
        Instant oldest = oldest(buffer, now);
        Instant latest = buffer.status.finished() ? buffer.endedAt : now.plus(AHEAD);
        if (at.isBefore(oldest) || at.isAfter(latest)) {
            throw new InvalidRequestProblem("at", "must lie inside the buffer, between " + oldest + " and " + latest
                    + (buffer.status.finished() ? " (the buffer stopped)" : " (at most " + AHEAD.toSeconds()
                    + " s ahead of now)"));
        }
        MarkerView created = limits.guarded(Limited.MARKER, buffer.userId, () ->
                QuarkusTransaction.requiringNew().call(() -> {
                    Marker marker = new Marker();
                    marker.id = UUID.randomUUID();
                    marker.bufferId = buffer.id;
                    marker.at = at;
                    marker.label = label;
                    marker.kind = request.kind();
                    marker.createdBy = caller.id();
                    marker.createdAt = now;
                    marker.persist();
                    MarkerView view = MarkerView.of(marker);
                    outbox.add(WebhookEventType.MARKER_CREATED, view);
                    return view;
                }));
        hub.publish(buffer.userId, "marker.created", created); // the owner's page shows it on the timeline at once
        return created;
    }

    /** The markers of the footage still in the buffer, oldest first. */
    public MarkerList list(Caller caller, UUID bufferId) {
        ReplayBufferSession buffer = buffers.actingFor(caller, bufferId);
        Instant oldest = oldest(buffer, clock.instant());
        return new MarkerList(QuarkusTransaction.requiringNew().call(() -> Marker.<Marker>find(
                "bufferId = ?1 and at >= ?2 order by at, createdAt", buffer.id, oldest).range(0, MAX_LISTED - 1)
                .stream().map(MarkerView::of).toList()));
    }

    /** A buffer's markers in {@code [from, to)}, oldest first: what a clip of that window carries. */
    public List<MarkerView> within(UUID bufferId, Instant from, Instant to) {
        return QuarkusTransaction.requiringNew().call(() -> Marker.<Marker>find(
                "bufferId = ?1 and at >= ?2 and at < ?3 order by at, createdAt", bufferId, from, to)
                .range(0, MAX_LISTED - 1).stream().map(MarkerView::of).toList());
    }

    /** The markers a clip of {@code [from, to)} of that buffer carries: offsets from {@code from}, oldest first. */
    public List<ClipMarker> inClip(UUID bufferId, Instant from, Instant to) {
        return within(bufferId, from, to).stream().map(m -> new ClipMarker(
                Duration.between(from, m.at()).toMillis() / 1000.0, m.label(), m.kind())).toList();
    }

    /**
     * For the cleanup sweep: deletes the markers whose footage has gone. That is those of buffers stopped longer
     * than REPLAY_STOPPED_GRACE ago (the sweep deletes their folders), and those older than their buffer's window
     * plus one segment (what the sweep keeps), counted back from now, from when the buffer ended, or from its last
     * segment while it is stalled: a buffer that records no more keeps its last window. Returns how many went.
     */
    public int sweep(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("DELETE FROM buffer_markers m"
                + " USING replay_buffer_sessions s WHERE m.buffer_id = s.id AND ("
                + " (s.ended_at IS NOT NULL AND s.ended_at < :gone)"
                + " OR m.at < LEAST(CAST(:now AS timestamptz), COALESCE(s.ended_at, :now),"
                + " CASE WHEN s.stalled_since IS NOT NULL THEN COALESCE(s.last_segment_at, :now) ELSE :now END)"
                + " - make_interval(secs => s.buffer_seconds + :segment))")
                .setParameter("gone", now.minus(config.stoppedGrace())).setParameter("now", now)
                .setParameter("segment", config.segmentDurationSeconds()).executeUpdate());
    }

    /** Where the buffer's footage begins now; before any footage, when it started recording (or its window). */
    private Instant oldest(ReplayBufferSession buffer, Instant now) {
        Instant windowStart = now.minusSeconds(buffer.bufferSeconds);
        Instant fallback = buffer.startedAt.isAfter(windowStart) ? buffer.startedAt : windowStart;
        return views.footage(buffer).oldestAt().orElse(fallback);
    }

    private static String label(String raw) {
        String label = raw.strip();
        if (label.isEmpty()) {
            throw new InvalidRequestProblem("label", "must not be blank");
        }
        if (label.codePoints().anyMatch(Character::isISOControl)
                || label.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)) {
            throw new InvalidRequestProblem("label", "must not contain control characters or line breaks");
        }
        if (label.codePointCount(0, label.length()) > MAX_LABEL) {
            throw new InvalidRequestProblem("label", "must be at most " + MAX_LABEL + " characters");
        }
        return label;
    }
}
