package io.replaybuffer.platform.webhook;

import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where events go (REPLAY_WEBHOOK_URLS) and how they are signed (REPLAY_WEBHOOK_SECRET), checked once: a bad URL or
 * secret stops the start-up, since a replica that cannot sign would otherwise queue events nobody can verify.
 */
@Singleton
public class WebhookEndpoints {

    private final List<String> urls;
    private final WebhookSigner signer;

    WebhookEndpoints(ReplayConfig config) {
        this.urls = config.webhook().urls().orElse(List.of()).stream().map(WebhookEndpoints::checked).distinct().toList();
        this.signer = urls.isEmpty() ? null : WebhookSigner.of(config.webhook().secret()
                .orElseThrow(() -> new InvalidWebhookSettingsException(
                        "REPLAY_WEBHOOK_URLS is set but REPLAY_WEBHOOK_SECRET is not: deliveries must be signed")));
    }

    /** The endpoints as configured; empty means no webhooks at all. */
    public List<String> urls() {
        return urls;
    }

    public boolean any() {
        return !urls.isEmpty();
    }

    WebhookSigner signer() {
        if (signer == null) {
            throw new IllegalStateException("no webhook endpoints are configured");
        }
        return signer;
    }

    private static String checked(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new InvalidWebhookSettingsException("REPLAY_WEBHOOK_URLS: not an http(s) URL with a host: "
                    + Endpoint.shown(url.toString()));
        }
        return url.toString();
    }
}
