package io.replaybuffer.clip;

import io.replaybuffer.platform.events.EventHub;
import io.replaybuffer.platform.webhook.Outbox;
import io.replaybuffer.platform.webhook.WebhookEventType;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code clip.ready} and {@code clip.failed}: queued as outgoing webhooks inside the transaction that ends the clip,
 * and pushed to the owner over SSE (every replica) once it committed.
 */
@ApplicationScoped
public class ClipEvents {

    private final EventHub hub;
    private final Outbox outbox;

    ClipEvents(EventHub hub, Outbox outbox) {
        this.hub = hub;
        this.outbox = outbox;
    }

    /** Within the transaction that made the clip READY or FAILED: the webhook commits with the change or not at all. */
    void finishing(ClipView clip) {
        outbox.add(ready(clip) ? WebhookEventType.CLIP_READY : WebhookEventType.CLIP_FAILED, clip);
    }

    public void finished(ClipView clip) {
        hub.publish(clip.ownerId(), ready(clip) ? "clip.ready" : "clip.failed", clip);
    }

    private static boolean ready(ClipView clip) {
        return clip.status() == ClipStatus.READY;
    }
}
