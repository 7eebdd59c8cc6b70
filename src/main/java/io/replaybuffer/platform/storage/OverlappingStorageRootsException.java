package io.replaybuffer.platform.storage;

import java.nio.file.Path;

/**
 * The segments and clips roots are the same folder or one lies inside the other. The segment sweep deletes every
 * folder of the segments root that no buffer owns, so clip shards inside it would be deleted as orphaned buffers;
 * the service refuses to start instead.
 */
public class OverlappingStorageRootsException extends IllegalStateException {

    public OverlappingStorageRootsException(Path segments, Path clips) {
        super("REPLAY_SEGMENTS_PATH (" + segments + ") and REPLAY_CLIPS_PATH (" + clips + ") " + relation(segments, clips)
                + ": the segment sweep would delete clips as orphaned buffer folders. Point them at two separate"
                + " folders, neither inside the other (in production, two volumes).");
    }

    private static String relation(Path segments, Path clips) {
        if (segments.equals(clips)) {
            return "are the same folder";
        }
        return clips.startsWith(segments) ? "overlap: the clips folder is inside the segments folder"
                : "overlap: the segments folder is inside the clips folder";
    }
}
