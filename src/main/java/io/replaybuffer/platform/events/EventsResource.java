package io.replaybuffer.platform.events;

import io.quarkus.security.Authenticated;
import io.replaybuffer.platform.security.CurrentUser;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import io.smallrye.common.annotation.Blocking;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/events}: the caller's events as Server-Sent Events ({@code buffer.*}, {@code clip.*}), each
 * with the resource as JSON. A comment every 15 s keeps proxies (and our own idle timeout) from closing a quiet
 * stream.
 */
@Path("/api/v1/events")
@Authenticated
@Tag(name = "Events")
public class EventsResource {

    static final Duration KEEPALIVE = Duration.ofSeconds(15);

    private final EventHub hub;
    private final StreamSlots slots;
    private final CurrentUser user;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();

    EventsResource(EventHub hub, StreamSlots slots, CurrentUser user, Clock clock) {
        this.hub = hub;
        this.slots = slots;
        this.user = user;
        this.clock = clock;
    }

    /**
     * Blocking: taking the stream's slot may ask Redis, and a refusal must be a 429 before the stream begins. The
     * stream ends when the token does (the client reconnects with a fresh one) and frees its slot however it ends.
     */
    @GET
    @Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream the caller's buffer and clip events (text/event-stream); ends when the token expires")
    @APIResponse(responseCode = "429", description = "too-many-streams: REPLAY_MAX_STREAMS_PER_USER or the replica's "
            + "REPLAY_MAX_STREAMS reached (Retry-After)")
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        String userId = user.id(); // resolved now: the request scope is gone once streaming starts
        Optional<Instant> expires = user.tokenExpiresAt();
        StreamSlots.Slot slot = slots.open(userId);
        Multi<OutboundSseEvent> events = hub.stream(userId).map(event -> sse.newEventBuilder()
                .id(Long.toString(ids.incrementAndGet()))
                .name(event.type())
                .data(event.json())
                .build());
        Multi<OutboundSseEvent> keepalive = Multi.createFrom().ticks().startingAfter(KEEPALIVE).every(KEEPALIVE)
                .map(tick -> sse.newEventBuilder().comment("keepalive").build());
        OutboundSseEvent hello = sse.newEventBuilder().comment("connected").build();
        Multi<OutboundSseEvent> stream = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(hello),
                Multi.createBy().merging().streams(events, keepalive));
        // Mutiny's time-limited select completes downstream without cancelling upstream, which would leave this
        // stream subscribed to the hub and its keepalive ticking: cancel it by hand whenever the stream ends.
        AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
        stream = stream.onSubscription().invoke(upstream::set);
        if (expires.isPresent()) {
            Duration left = Duration.between(clock.instant(), expires.get());
            stream = stream.select().first(left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left);
        }
        return stream.onTermination().invoke(() -> {
            Flow.Subscription subscription = upstream.get();
            if (subscription != null) {
                subscription.cancel();
            }
            slot.close();
        });
    }
}
