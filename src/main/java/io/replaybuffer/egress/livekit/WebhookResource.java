package io.replaybuffer.egress.livekit;

import io.livekit.server.WebhookReceiver;
import io.replaybuffer.egress.EgressMetrics;
import io.replaybuffer.egress.EgressUpdate;
import io.replaybuffer.egress.LiveKitConfig;
import io.replaybuffer.egress.WebhookRejectedProblem;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.Set;
import livekit.LivekitWebhook;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * {@code POST /api/v1/livekit/webhook}: LiveKit's egress lifecycle events. The signature (HS256 JWT issued by our API
 * key) and the body's SHA-256 are checked on the raw bytes before anything is parsed; a forgery is 401 and changes
 * nothing. Accepted egress events become {@link EgressUpdate}s; what they do to buffers is decided elsewhere, and
 * late or repeated events are harmless there. A body over 1 MiB never gets here: a larger Content-Length is 413
 * before it is read ({@link io.replaybuffer.platform.http.BodyLimit}), and a chunked body is cut off at
 * {@code quarkus.http.limits.max-body-size} while the String below is read.
 */
@Path("/api/v1/livekit/webhook")
@PermitAll
@Tag(name = "LiveKit webhook")
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);
    private static final Set<String> EGRESS_EVENTS = Set.of("egress_started", "egress_updated", "egress_ended");

    private final Optional<WebhookReceiver> receiver;
    private final Instance<LiveKitGateway> gateway;
    private final Event<EgressUpdate> updates;
    private final EgressMetrics metrics;

    WebhookResource(LiveKitConfig config, Instance<LiveKitGateway> gateway, Event<EgressUpdate> updates,
            EgressMetrics metrics) {
        this.receiver = config.apiKey().flatMap(key -> config.apiSecret().map(secret -> new WebhookReceiver(key, secret)));
        this.gateway = gateway;
        this.updates = updates;
        this.metrics = metrics;
    }

    @POST
    @Consumes({"application/webhook+json", MediaType.APPLICATION_JSON, MediaType.WILDCARD})
    @Operation(summary = "Receive a LiveKit webhook (signed by LiveKit with the API key and secret)")
    public void receive(String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        LivekitWebhook.WebhookEvent event = verify(body, authorization);
        String name = event.getEvent();
        if (!EGRESS_EVENTS.contains(name) || !event.hasEgressInfo()) {
            metrics.webhook(name, "ignored");
            return;
        }
        EgressUpdate update = gateway.get().toUpdate(event.getEgressInfo(), EgressUpdate.Source.WEBHOOK);
        if (update.segmentDir() == null) {
            metrics.webhook(name, "not_ours");
            return;
        }
        metrics.webhook(name, "accepted");
        updates.fire(update);
    }

    private LivekitWebhook.WebhookEvent verify(String body, String authorization) {
        if (receiver.isEmpty()) {
            metrics.webhook("unknown", "not_configured");
            throw new WebhookRejectedProblem("This service has no LiveKit API key configured");
        }
        if (authorization == null || authorization.isBlank()) {
            metrics.webhook("unknown", "unsigned");
            throw new WebhookRejectedProblem("The webhook carries no signature");
        }
        // LiveKit sends the bare JWT; tolerate a Bearer prefix from proxies that add one.
        String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : authorization;
        try {
            return receiver.get().receive(body == null ? "" : body, token);
        } catch (RuntimeException e) {
            LOG.debugf("webhook rejected: %s", e.toString());
            metrics.webhook("unknown", "bad_signature");
            throw new WebhookRejectedProblem("The webhook signature or body hash does not verify");
        }
    }
}
