package io.replaybuffer.clip;

import io.replaybuffer.platform.events.EventHub;
import io.replaybuffer.platform.webhook.Outbox;
import io.replaybuffer.platform.webhook.WebhookEventType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * {@code clip.ready} and {@code clip.failed}: queued as outgoing webhooks inside the transaction that ends the clip,
 * and pushed to the owner over SSE (every replica) once it committed.
 */
@ApplicationScoped
public class ClipEvents {

    private final EventHub hub;
    private final Outbox outbox;
    private final Event<ClipEnded> ended;

    ClipEvents(EventHub hub, Outbox outbox, Event<ClipEnded> ended) {
        this.hub = hub;
        this.outbox = outbox;
        this.ended = ended;
    }

    /**
     * Within the transaction that made the clip READY or FAILED: the webhook, and whatever observers of
     * {@link ClipEnded} derive from it (a team replay settling), commit with the change or not at all.
     */
    void finishing(ClipView clip) {
        outbox.add(ready(clip) ? WebhookEventType.CLIP_READY : WebhookEventType.CLIP_FAILED, clip);
        ended.fire(new ClipEnded(clip));
    }

    public void finished(ClipView clip) {
        hub.publish(clip.ownerId(), ready(clip) ? "clip.ready" : "clip.failed", clip);
    }

    private static boolean ready(ClipView clip) {
        return clip.status() == ClipStatus.READY;
    }
}
