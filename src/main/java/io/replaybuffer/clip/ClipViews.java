package io.replaybuffer.clip;

import io.replaybuffer.platform.error.NotFoundProblem;
import java.util.UUID;

/** Reads a clip as its view, within the caller's transaction. */
public final class ClipViews {

    private ClipViews() {
    }

    public static ClipView of(UUID id) {
        Clip clip = Clip.findById(id);
        if (clip == null) {
            throw new NotFoundProblem("clip");
        }
        return ClipView.of(clip);
    }
}
