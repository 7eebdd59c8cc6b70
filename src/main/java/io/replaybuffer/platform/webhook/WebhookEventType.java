package io.replaybuffer.platform.webhook;

/**
 * The event types sent to the game platform's backend (api.md, "Outgoing webhooks"). Adding one is a constant here and
 * one {@link Outbox#add} call in the transaction that makes the change; the schema accepts any dotted name.
 */
public enum WebhookEventType {
    CLIP_READY("clip.ready"),
    CLIP_FAILED("clip.failed"),
    BUFFER_STARTED("buffer.started"),
    BUFFER_STOPPED("buffer.stopped"),
    BUFFER_FAILED("buffer.failed"),
    MARKER_CREATED("marker.created"),
    CAPTURE_GROUP_READY("capture-group.ready");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} field of the body. */
    public String wireName() {
        return wireName;
    }
}
