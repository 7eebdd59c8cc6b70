package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.clip.build.StreamCopyMp4;
import io.replaybuffer.clip.quota.QuotaService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.hibernate.query.NativeQuery;

/**
 * How a clip ends, and the only writer of it. A clip's life is one way: PROCESSING (holding a quota reservation)
 * → READY (settled to the real size) or FAILED (reservation released); a READY clip whose file is lost becomes
 * FAILED. While PROCESSING, a build attempt holds it with a lease ({@code build_owner}, {@code build_lease_until}),
 * so each ending here is a conditional UPDATE under the row's lock: two attempts (two replicas, or recovery and a
 * queued build) can never both publish. The quota change and the clip's webhook commit with it or not at all.
 * Creating, editing and deleting the record is {@link ClipStore}'s.
 */
@ApplicationScoped
public class ClipOutcomes {

    /** A locked row's fields that decide whether and how it may change. */
    private record Row(String userId, ClipStatus status, UUID owner, long reservedBytes, Long sizeBytes,
            Instant missingSince) {
    }

    private final QuotaService quotas;
    private final ClipEvents events;
    private final EntityManager em;
    private final ClipCache cache;
    private final Clock clock;

    ClipOutcomes(QuotaService quotas, ClipEvents events, EntityManager em, ClipCache cache, Clock clock) {
        this.quotas = quotas;
        this.events = events;
        this.em = em;
        this.cache = cache;
        this.clock = clock;
    }

    // ---- ending a build -----------------------------------------------------------------------------------------

    /**
     * Publishes a built clip: records its file, settles the reservation to the real size and clears the lease, in one
     * transaction whose UPDATE applies only while {@code attempt} still holds the clip.
     */
    public ClipEnding ready(UUID id, UUID attempt, String relativePath, StreamCopyMp4.Result result) {
        return endProcessing(id, attempt, row -> {
            StoredFile file = new StoredFile();
            file.id = UUID.randomUUID();
            file.relativePath = relativePath;
            file.sizeBytes = result.sizeBytes();
            file.contentType = "video/mp4";
            file.createdAt = clock.instant();
            file.persist();
            em.flush(); // the UPDATE refers to it
            quotas.settle(row.userId(), row.reservedBytes(), result.sizeBytes());
            Map<String, Object> values = new HashMap<>();
            values.put("file", file.id);
            values.put("duration", result.durationSeconds());
            values.put("width", result.width());
            values.put("height", result.height());
            values.put("video", result.videoCodec());
            values.put("audio", result.audioCodec());
            values.put("size", result.sizeBytes());
            return new Change("status = 'READY', file_id = :file, duration_seconds = :duration, width = :width,"
                    + " height = :height, video_codec = :video, audio_codec = :audio, size_bytes = :size", values);
        });
    }

    /** Marks a clip FAILED with its reason and gives its reservation back, if {@code attempt} still holds it. */
    public ClipEnding fail(UUID id, UUID attempt, String reason) {
        return endProcessing(id, attempt, row -> failing(row, reason));
    }

    /**
     * Fails a PROCESSING clip that no build has claimed (a capture that could not secure its footage); empty when it
     * is claimed, ended or gone.
     */
    public Optional<ClipView> fail(UUID id, String reason) {
        return Optional.ofNullable(endProcessing(id, null, row -> failing(row, reason)).clip());
    }

    private Change failing(Row row, String reason) {
        quotas.release(row.userId(), row.reservedBytes());
        return new Change("status = 'FAILED', error = :error", Map.of("error", reason));
    }

    /** The columns a state change sets, as SQL with named parameters, and their values. */
    private record Change(String set, Map<String, Object> values) {
    }

    /**
     * Ends a PROCESSING clip held by {@code attempt} (or by nobody, when null), under its row lock: {@code change}
     * writes the quota change and names the columns to set; the UPDATE that sets them repeats the holder condition,
     * and must change exactly the one row. The clip's webhook is queued in the same transaction.
     */
    private ClipEnding endProcessing(UUID id, UUID attempt, Function<Row, Change> change) {
        ClipEnding ending = QuarkusTransaction.requiringNew().call(() -> {
            Optional<Row> row = lockRow(id);
            if (row.isEmpty()) {
                return ClipEnding.gone();
            }
            boolean held = row.get().status() == ClipStatus.PROCESSING && Objects.equals(attempt, row.get().owner());
            if (!held) {
                return ClipEnding.notHeld();
            }
            Change set = change.apply(row.get());
            Query update = em.createNativeQuery("UPDATE clips SET " + set.set() + ", reserved_bytes = 0, waiting_until = NULL,"
                    + " build_owner = NULL, build_lease_until = NULL, updated_at = :now, version = version + 1"
                    + " WHERE id = :id AND status = 'PROCESSING' AND "
                    + (attempt == null ? "build_owner IS NULL" : "build_owner = :attempt"))
                    .setParameter("now", clock.instant()).setParameter("id", id);
            if (attempt != null) {
                update.setParameter("attempt", attempt);
            }
            set.values().forEach((name, value) -> bind(update, name, value));
            if (update.executeUpdate() != 1) { // impossible under the row lock; throwing undoes the quota change
                throw new IllegalStateException("clip " + id + " changed under its row lock");
            }
            return new ClipEnding(ClipEnding.Outcome.ENDED, announce(id));
        });
        if (ending.ended()) {
            quotas.changed(ending.clip().ownerId());
        }
        return ending;
    }

    // ---- READY clips -------------------------------------------------------------------------------------------

    /**
     * A READY clip whose file has been absent since at least {@code missingBefore}: FAILED with the reason and its
     * space given back, its {@code clip.failed} webhook queued in the same transaction. Empty when it was not noted
     * missing that early (or came back, or is gone).
     */
    public Optional<ClipView> lost(UUID id, Instant missingBefore) {
        Optional<ClipView> view = QuarkusTransaction.requiringNew().call(() -> lockRow(id)
                .filter(row -> row.status() == ClipStatus.READY && row.missingSince() != null
                        && !row.missingSince().isAfter(missingBefore))
                .map(row -> {
                    quotas.release(row.userId(), row.sizeBytes() == null ? 0 : row.sizeBytes());
                    int changed = em.createNativeQuery("UPDATE clips SET status = 'FAILED', error = :error,"
                            + " missing_since = NULL, updated_at = :now, version = version + 1"
                            + " WHERE id = :id AND status = 'READY' AND missing_since <= :before")
                            .setParameter("error", "the clip's file is missing from storage")
                            .setParameter("now", clock.instant()).setParameter("id", id)
                            .setParameter("before", missingBefore).executeUpdate();
                    if (changed != 1) {
                        throw new IllegalStateException("clip " + id + " changed under its row lock");
                    }
                    return announce(id);
                }));
        view.ifPresent(v -> quotas.changed(v.ownerId()));
        return view;
    }

    /** From the capture to its ending, for the build-time metrics. */
    public Duration age(ClipView clip) {
        return Duration.between(clip.createdAt(), clock.instant());
    }

    /** Binds a value; a null is bound as text (the only nullable columns set here, codecs, are text). */
    private static void bind(Query query, String name, Object value) {
        if (value == null) {
            query.unwrap(NativeQuery.class).setParameter(name, null, String.class);
        } else {
            query.setParameter(name, value);
        }
    }

    private Optional<Row> lockRow(UUID id) {
        List<?> rows = em.createNativeQuery("SELECT user_id, status, build_owner, reserved_bytes, size_bytes,"
                + " missing_since FROM clips WHERE id = :id FOR UPDATE").setParameter("id", id).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = (Object[]) rows.get(0);
        return Optional.of(new Row((String) r[0], ClipStatus.valueOf((String) r[1]), (UUID) r[2],
                ((Number) r[3]).longValue(), r[4] == null ? null : ((Number) r[4]).longValue(), instant(r[5])));
    }

    /** A timestamptz as the driver hands it to a native query (which type depends on Hibernate's settings). */
    private static Instant instant(Object value) {
        return value == null ? null : value instanceof Instant instant ? instant
                : value instanceof java.sql.Timestamp timestamp ? timestamp.toInstant()
                : ((java.time.OffsetDateTime) value).toInstant();
    }

    /**
     * After a native UPDATE ended the clip in this transaction: the row as the entity now sees it (none was loaded
     * before), forgotten by the cache once committed, and its clip.ready or clip.failed webhook queued, committed with
     * the change or not at all.
     */
    private ClipView announce(UUID id) {
        ClipView ended = ClipView.of(em.find(Clip.class, id));
        cache.changed(id, ended.ownerId(), ended.createdBy());
        events.finishing(ended);
        return ended;
    }
}
