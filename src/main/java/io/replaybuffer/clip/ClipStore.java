package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.clip.build.StreamCopyMp4;
import io.replaybuffer.clip.quota.QuotaService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Clip rows and their one-way life: PROCESSING (holding a quota reservation) → READY (settled to the real size) or
 * FAILED (reservation released). Each step is its own short transaction under a row lock.
 */
@ApplicationScoped
public class ClipStore {

    /** What a capture decided, for the row created before any footage is secured. */
    public record NewClip(UUID id, String userId, UUID bufferId, String title, Instant from, Instant to,
            double requestedSeconds, boolean truncated, long reservedBytes) {
    }

    private final QuotaService quotas;
    private final Clock clock;

    ClipStore(QuotaService quotas, Clock clock) {
        this.quotas = quotas;
        this.clock = clock;
    }

    /** Within the caller's transaction (the one that reserved the quota). */
    public ClipView createProcessing(NewClip spec) {
        Instant now = clock.instant();
        Clip clip = new Clip();
        clip.id = spec.id();
        clip.userId = spec.userId();
        clip.sessionId = spec.bufferId();
        clip.title = spec.title();
        clip.status = ClipStatus.PROCESSING;
        clip.capturedFrom = spec.from();
        clip.capturedTo = spec.to();
        clip.requestedSeconds = spec.requestedSeconds();
        clip.truncated = spec.truncated();
        clip.reservedBytes = spec.reservedBytes();
        clip.createdAt = now;
        clip.updatedAt = now;
        clip.persist();
        return ClipView.of(clip);
    }

    /** Records the built file and settles the reservation; empty if the clip was deleted meanwhile. */
    public Optional<ClipView> ready(UUID id, String relativePath, StreamCopyMp4.Result result) {
        return finishProcessing(id, clip -> {
            StoredFile file = new StoredFile();
            file.id = UUID.randomUUID();
            file.relativePath = relativePath;
            file.sizeBytes = result.sizeBytes();
            file.contentType = "video/mp4";
            file.createdAt = clock.instant();
            file.persist();
            quotas.settle(clip.userId, clip.reservedBytes, result.sizeBytes());
            clip.file = file;
            clip.status = ClipStatus.READY;
            clip.durationSeconds = result.durationSeconds();
            clip.width = result.width();
            clip.height = result.height();
            clip.videoCodec = result.videoCodec();
            clip.audioCodec = result.audioCodec();
            clip.sizeBytes = result.sizeBytes();
        });
    }

    /** Marks a PROCESSING clip FAILED with its reason and gives its reservation back. */
    public Optional<ClipView> fail(UUID id, String reason) {
        return finishProcessing(id, clip -> {
            quotas.release(clip.userId, clip.reservedBytes);
            clip.status = ClipStatus.FAILED;
            clip.error = reason;
        });
    }

    /**
     * Ends a PROCESSING clip one way or the other, under its row lock, in its own transaction; the reservation is
     * gone afterwards (settled or released by {@code outcome}). Empty when the clip is not PROCESSING any more.
     */
    private Optional<ClipView> finishProcessing(UUID id, java.util.function.Consumer<Clip> outcome) {
        return change(id, ClipStatus.PROCESSING, outcome);
    }

    /**
     * One state change of a clip that is in {@code from}, under its row lock, in its own transaction; afterwards it
     * holds no reservation and every replica's cached quota of its owner is dropped. Empty when it was not in {@code from}.
     */
    private Optional<ClipView> change(UUID id, ClipStatus from, java.util.function.Consumer<Clip> outcome) {
        Optional<ClipView> view = QuarkusTransaction.requiringNew().call(() -> lock(id)
                .filter(clip -> clip.status == from)
                .map(clip -> {
                    outcome.accept(clip);
                    clip.reservedBytes = 0;
                    clip.updatedAt = clock.instant();
                    return ClipView.of(clip);
                }));
        view.ifPresent(v -> quotas.changed(v.ownerId()));
        return view;
    }

    /** A READY clip whose file is gone from storage: FAILED with the reason, its space given back. */
    public Optional<ClipView> lost(UUID id) {
        return change(id, ClipStatus.READY, clip -> {
            quotas.release(clip.userId, clip.sizeBytes);
            clip.status = ClipStatus.FAILED;
            clip.error = "the clip's file is missing from storage";
        });
    }

    /** Notes that a build of this clip is running now (recovery leaves recently touched clips alone). */
    public void touch(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> Clip.update("updatedAt = ?1 where id = ?2 and status = ?3",
                clock.instant(), id, ClipStatus.PROCESSING));
    }

    public Optional<Clip> lock(UUID id) {
        return Optional.ofNullable(Clip.findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    public Duration age(ClipView clip) {
        return Duration.between(clip.createdAt(), clock.instant());
    }
}
