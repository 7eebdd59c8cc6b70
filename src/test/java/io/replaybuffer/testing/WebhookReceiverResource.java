package io.replaybuffer.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts a {@link WebhookReceiver} before the application and points REPLAY_WEBHOOK_URLS at two of its paths, {@code a}
 * and {@code b}, with its secret. Tests get the receiver in a {@code WebhookReceiver} field.
 */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {

    private WebhookReceiver receiver;

    @Override
    public Map<String, String> start() {
        try {
            receiver = new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("replay.webhook.urls", receiver.url("a") + "," + receiver.url("b"),
                "replay.webhook.secret", receiver.secret());
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(receiver, new TestInjector.MatchesType(WebhookReceiver.class));
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }
}
