package io.replaybuffer.cleanup;

/**
 * What one sweep did and what it left: the kept bytes are the temp-storage figure operators watch;
 * {@code foldersFailed} counts buffer folders it had to skip (unreadable, odd entries), each logged.
 */
public record SweepOutcome(long filesDeleted, long bytesDeleted, long directoriesDeleted, long filesKept,
        long bytesKept, long foldersFailed) {

    /** Counts as the sweep walks; one per sweep, not shared between threads. */
    static final class Tally {
        long filesDeleted;
        long bytesDeleted;
        long directoriesDeleted;
        long filesKept;
        long bytesKept;
        long foldersFailed;

        SweepOutcome outcome() {
            return new SweepOutcome(filesDeleted, bytesDeleted, directoriesDeleted, filesKept, bytesKept,
                    foldersFailed);
        }
    }
}
