package io.replaybuffer.buffer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.egress.EgressUpdate;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The egress attempts of each buffer, learnt from the playlist names egress reports ({@code segment_results} in the
 * start answer, webhooks and listings) and kept in {@code egress_attempts}. Everything that reads footage asks here
 * which playlists a buffer has, instead of predicting names egress may not have used.
 */
@ApplicationScoped
public class BufferAttempts {

    private static final Logger LOG = Logger.getLogger(BufferAttempts.class);
    /** PostgreSQL takes at most 65,535 bind parameters in one statement. */
    private static final int QUERY_CHUNK = 5_000;

    private final Clock clock;
    private final MeterRegistry registry;
    /**
     * Attempts change only when egress retries, and a view is read on every poll: a few seconds of staleness (for
     * another replica's news) costs nothing, a query per poll does.
     */
    private final Cache<UUID, List<SegmentLayout.Attempt>> cache = Caffeine.newBuilder()
            .maximumSize(50_000).expireAfterWrite(Duration.ofSeconds(5)).build();

    BufferAttempts(Clock clock, MeterRegistry registry, SegmentIndex index) {
        this.clock = clock;
        this.registry = registry;
        FunctionCounter.builder("replay_segment_names_discovered_total", index, SegmentIndex::discoveries)
                .description("Buffers whose footage was found by searching their folder: egress' reports were lost")
                .register(registry);
    }

    /**
     * Whether {@link #record} would add a row or warn for this update: it reports an attempt not in {@code known}, or
     * a name that is not the buffer's.
     */
    boolean reportsNew(ReplayBufferSession session, EgressUpdate update, List<SegmentLayout.Attempt> known) {
        return update.playlists().stream().anyMatch(reported -> SegmentLayout.parseReported(reported.playlistName(),
                session.segmentDir).filter(name -> !name.live())
                .map(name -> !known.contains(name.attempt()))
                .orElse(!reported.playlistName().isEmpty()));
    }

    /** Keeps the attempts an update reports for the buffer; the caller holds the buffer's row lock. */
    void record(ReplayBufferSession session, EgressUpdate update) {
        boolean added = false;
        for (EgressUpdate.ReportedPlaylists reported : update.playlists()) {
            Optional<SegmentLayout.PlaylistName> main = SegmentLayout.parseReported(reported.playlistName(),
                    session.segmentDir).filter(name -> !name.live());
            if (main.isEmpty()) {
                if (!reported.playlistName().isEmpty()) {
                    LOG.warnf("buffer %s: egress %s reported playlist %s, which is not one of the buffer's names",
                            session.id, update.egressId(), reported.playlistName());
                    registry.counter("replay_egress_unrecognised_names_total").increment();
                }
                continue;
            }
            SegmentLayout.Attempt attempt = main.get().attempt();
            String live = SegmentLayout.parseReported(reported.livePlaylistName(), session.segmentDir)
                    .filter(name -> name.live() && name.attempt().equals(attempt))
                    .map(name -> reported.livePlaylistName()).orElse(null);
            added |= ReplayBufferSession.getEntityManager().createNativeQuery("""
                    INSERT INTO egress_attempts (buffer_id, attempt, egress_id, retry_count, playlist_name,
                        live_playlist_name, reported_at, source)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                    ON CONFLICT (buffer_id, attempt) DO NOTHING""")
                    .setParameter(1, session.id).setParameter(2, attempt.tag()).setParameter(3, update.egressId())
                    .setParameter(4, update.retryCount()).setParameter(5, reported.playlistName())
                    .setParameter(6, live).setParameter(7, clock.instant())
                    .setParameter(8, update.source().name()).executeUpdate() > 0;
        }
        if (added) {
            cache.invalidate(session.id);
            LOG.infof("buffer %s: egress %s reports attempt %s", session.id, update.egressId(), of(session.id));
        }
    }

    /** A buffer's attempts in retry order; empty when egress has reported none. */
    public List<SegmentLayout.Attempt> of(UUID bufferId) {
        return cache.get(bufferId, id -> query(List.of(id)).getOrDefault(id, List.of()));
    }

    /**
     * The attempts of many buffers (the reconciler and the sweep ask for every buffer at once, then read each one's
     * footage, which then finds them cached).
     */
    public Map<UUID, List<SegmentLayout.Attempt>> of(Collection<UUID> bufferIds) {
        Map<UUID, List<SegmentLayout.Attempt>> byBuffer = query(bufferIds);
        bufferIds.forEach(id -> cache.put(id, byBuffer.getOrDefault(id, List.of())));
        return byBuffer;
    }

    /** A few thousand buffers per query. */
    @SuppressWarnings("unchecked")
    private Map<UUID, List<SegmentLayout.Attempt>> query(Collection<UUID> bufferIds) {
        List<UUID> ids = List.copyOf(bufferIds);
        Map<UUID, List<SegmentLayout.Attempt>> byBuffer = new HashMap<>();
        for (int from = 0; from < ids.size(); from += QUERY_CHUNK) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + QUERY_CHUNK));
            List<Object[]> rows = QuarkusTransaction.joiningExisting().call(() -> ReplayBufferSession
                    .getEntityManager().createNativeQuery(
                            "SELECT buffer_id, attempt FROM egress_attempts WHERE buffer_id IN (?1)")
                    .setParameter(1, chunk).getResultList());
            for (Object[] row : rows) {
                byBuffer.computeIfAbsent((UUID) row[0], k -> new ArrayList<>())
                        .add(new SegmentLayout.Attempt((String) row[1]));
            }
        }
        byBuffer.replaceAll((id, attempts) -> attempts.stream().sorted().toList());
        return byBuffer;
    }
}
