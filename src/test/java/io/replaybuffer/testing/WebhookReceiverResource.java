package io.replaybuffer.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Starts a {@link WebhookReceiver} before the application and points REPLAY_WEBHOOK_URLS at its paths named by the
 * {@code paths} argument (comma-separated; {@code a,b} by default), with its secret. Tests get the receiver in a
 * {@code WebhookReceiver} field.
 */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {

    private WebhookReceiver receiver;
    private List<String> paths = List.of("a", "b");

    @Override
    public void init(Map<String, String> args) {
        if (args.containsKey("paths")) {
            paths = List.of(args.get("paths").split(","));
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            receiver = new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("replay.webhook.urls", String.join(",", paths.stream().map(receiver::url).toList()),
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
