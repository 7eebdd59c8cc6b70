package io.replaybuffer.clip;

import java.time.Instant;
import java.util.UUID;

/**
 * A clip as the read paths need it (its view, and what guards and locates its files), immutable so that concurrent
 * requests may share one from {@link ClipCache}. Built from a loaded entity; never written back.
 */
public record ClipSnapshot(ClipView view, int linkGeneration, FileRef file, FileRef thumbnail) {

    /** A stored file: where it is under the clips root, and what its download headers say. */
    public record FileRef(UUID id, String relativePath, long sizeBytes, Instant createdAt) {

        static FileRef of(StoredFile file) {
            return file == null ? null : new FileRef(file.id, file.relativePath, file.sizeBytes, file.createdAt);
        }
    }

    static ClipSnapshot of(Clip clip) {
        return new ClipSnapshot(ClipView.of(clip), clip.linkGeneration, FileRef.of(clip.file),
                FileRef.of(clip.thumbnail));
    }

    public UUID id() {
        return view.id();
    }

    public String userId() {
        return view.ownerId();
    }

    public String createdBy() {
        return view.createdBy();
    }

    public ClipStatus status() {
        return view.status();
    }

    public Visibility visibility() {
        return view.visibility();
    }

    public String title() {
        return view.title();
    }
}
