package io.replaybuffer.platform.webhook;

/** REPLAY_WEBHOOK_URLS or REPLAY_WEBHOOK_SECRET cannot be used: the service refuses to start rather than send unsigned. */
public class InvalidWebhookSettingsException extends IllegalStateException {

    public InvalidWebhookSettingsException(String message) {
        super(message);
    }
}
