package io.replaybuffer.cleanup;

/** What one sweep did and what it left: the kept bytes are the temp-storage figure operators watch. */
public record SweepOutcome(long filesDeleted, long bytesDeleted, long directoriesDeleted, long filesKept,
        long bytesKept) {

    /** Counts as the sweep walks; one per sweep, not shared between threads. */
    static final class Tally {
        long filesDeleted;
        long bytesDeleted;
        long directoriesDeleted;
        long filesKept;
        long bytesKept;

        SweepOutcome outcome() {
            return new SweepOutcome(filesDeleted, bytesDeleted, directoriesDeleted, filesKept, bytesKept);
        }
    }
}
