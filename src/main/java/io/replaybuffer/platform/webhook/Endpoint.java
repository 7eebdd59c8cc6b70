package io.replaybuffer.platform.webhook;

import java.net.URI;
import java.net.URISyntaxException;

/** How an endpoint URL is shown outside the database (listing, logs): without user info or query, which may hold secrets. */
final class Endpoint {

    private Endpoint() {
    }

    static String shown(String url) {
        try {
            URI uri = new URI(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return "(unreadable URL)";
        }
    }
}
