package io.replaybuffer.capture.team;

import io.replaybuffer.clip.ClipEnded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A team replay's status follows its clips: each clip of a group that ends may be the one that settles it. */
@ApplicationScoped
class GroupSettlement {

    private final CaptureGroupStore groups;

    GroupSettlement(CaptureGroupStore groups) {
        this.groups = groups;
    }

    /** In the transaction that ended the clip (see {@link ClipEnded}). */
    void clipEnded(@Observes ClipEnded ended) {
        if (ended.clip().groupId() != null) {
            groups.settle(ended.clip().groupId());
        }
    }
}
