package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.clip.quota.QuotaService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes a clip's record while it lives: creates it PROCESSING (holding a quota reservation), records a post-roll
 * window as it closes, applies its owner's edits, deletes it. How it ends, READY or FAILED, is {@link ClipOutcomes}';
 * between them they are the only writers of a clip's row. Each step is its own short transaction unless it says
 * otherwise.
 */
@ApplicationScoped
public class ClipStore {

    private final QuotaService quotas;
    private final EntityManager em;
    private final ClipCache cache;
    private final Clock clock;

    ClipStore(QuotaService quotas, EntityManager em, ClipCache cache, Clock clock) {
        this.cache = cache;
        this.quotas = quotas;
        this.em = em;
        this.clock = clock;
    }

    /** Within the caller's transaction (the one that reserved the quota). Nobody holds the new clip yet. */
    public ClipView createProcessing(NewClip spec) {
        Instant now = clock.instant();
        Clip clip = new Clip();
        clip.id = spec.id();
        clip.userId = spec.userId();
        clip.sessionId = spec.bufferId();
        clip.title = spec.title();
        clip.createdBy = spec.createdBy();
        clip.groupId = spec.groupId();
        clip.status = ClipStatus.PROCESSING;
        clip.capturedFrom = spec.from();
        clip.capturedTo = spec.to();
        clip.requestedSeconds = spec.requestedSeconds();
        clip.truncated = spec.truncated();
        clip.reservedBytes = spec.reservedBytes();
        clip.truncatedReason = spec.truncatedReason();
        clip.waitingUntil = spec.waitingUntil();
        clip.markers = new ArrayList<>(spec.markers());
        clip.createdAt = now;
        clip.updatedAt = now;
        clip.persist();
        cache.changed(clip); // a new first item of its owner's library
        return ClipView.of(clip);
    }

    /** Renames {@code clip} or changes its visibility; making it PRIVATE also revokes its share links. */
    public void patch(Clip clip, ClipPatch patch) {
        if (patch.title() != null) {
            clip.title = ClipTitleValidator.normalise(patch.title());
        }
        if (patch.visibility() != null) {
            if (patch.visibility() == Visibility.PRIVATE && clip.visibility != Visibility.PRIVATE) {
                clip.linkGeneration++; // "private" means nobody else, including whoever holds a link
            }
            clip.visibility = patch.visibility();
        }
        clip.updatedAt = clock.instant();
        cache.changed(clip);
    }

    /** Revokes every share link of {@code clip} made so far: links carry the generation they were made in. */
    public void revokeLinks(Clip clip) {
        clip.linkGeneration++;
        clip.updatedAt = clock.instant();
        cache.changed(clip);
    }

    /**
     * A post-roll capture's window closed (its footage came, or the buffer stopped or went quiet first): records the
     * window it ended up with and the markers inside it, and stops waiting, if {@code attempt} still holds the clip.
     * False when it does not (the clip was deleted, or another attempt took it over): the caller leaves it alone.
     */
    public boolean closeWindow(UUID id, UUID attempt, ClosedWindow window) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = em.find(Clip.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (clip == null || clip.status != ClipStatus.PROCESSING || !attempt.equals(clip.buildOwner)) {
                return false;
            }
            clip.capturedFrom = window.from();
            clip.capturedTo = window.to();
            clip.truncated = window.truncated();
            clip.truncatedReason = window.truncatedReason();
            clip.markers = new ArrayList<>(window.markers());
            clip.waitingUntil = null;
            clip.updatedAt = clock.instant();
            cache.changed(clip);
            return true;
        });
    }

    /** True while a clip is PROCESSING: its capture folder is still a build's input. */
    public boolean processing(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Clip.count("id = ?1 and status = ?2", id,
                ClipStatus.PROCESSING) > 0);
    }

    /**
     * Within the caller's transaction, on a clip it locked: deletes the row and its file rows and gives its space back.
     * Returns the relative paths of its files, to delete once the transaction committed. A build still running on it
     * then finds it gone and removes what it made.
     */
    public List<String> delete(Clip clip) {
        List<String> paths = new ArrayList<>();
        long held = clip.status == ClipStatus.READY ? clip.sizeBytes : clip.reservedBytes;
        if (clip.status != ClipStatus.FAILED) {
            quotas.release(clip.userId, held);
        }
        StoredFile file = clip.file;
        StoredFile thumbnail = clip.thumbnail;
        for (StoredFile stored : new StoredFile[] {file, thumbnail}) {
            if (stored != null) {
                paths.add(stored.relativePath);
            }
        }
        clip.delete();
        Clip.flush();
        cache.changed(clip);
        if (file != null) {
            file.delete();
        }
        if (thumbnail != null) {
            thumbnail.delete();
        }
        return paths;
    }

}
