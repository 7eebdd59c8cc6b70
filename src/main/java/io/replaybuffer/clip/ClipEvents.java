package io.replaybuffer.clip;

import io.replaybuffer.platform.events.EventHub;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code clip.ready} and {@code clip.failed} to the clip's owner, on every replica. */
@ApplicationScoped
public class ClipEvents {

    private final EventHub hub;

    ClipEvents(EventHub hub) {
        this.hub = hub;
    }

    public void finished(ClipView clip) {
        hub.publish(clip.ownerId(), clip.status() == ClipStatus.READY ? "clip.ready" : "clip.failed", clip);
    }
}
