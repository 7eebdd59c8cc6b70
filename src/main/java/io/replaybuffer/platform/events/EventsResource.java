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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/events}: the caller's events as Server-Sent Events ({@code buffer.*}, {@code clip.*}), each
 * with the resource as JSON. A comment every 15 s keeps proxies from closing an idle stream.
 */
@Path("/api/v1/events")
@Authenticated
@Tag(name = "Events")
public class EventsResource {

    static final Duration KEEPALIVE = Duration.ofSeconds(15);

    private final EventHub hub;
    private final CurrentUser user;
    private final AtomicLong ids = new AtomicLong();

    EventsResource(EventHub hub, CurrentUser user) {
        this.hub = hub;
        this.user = user;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream the caller's buffer and clip events (text/event-stream)")
    public Multi<OutboundSseEvent> stream(@Context Sse sse) {
        String userId = user.id(); // resolved now: the request scope is gone once streaming starts
        Multi<OutboundSseEvent> events = hub.stream(userId).map(event -> sse.newEventBuilder()
                .id(Long.toString(ids.incrementAndGet()))
                .name(event.type())
                .data(event.json())
                .build());
        Multi<OutboundSseEvent> keepalive = Multi.createFrom().ticks().startingAfter(KEEPALIVE).every(KEEPALIVE)
                .map(tick -> sse.newEventBuilder().comment("keepalive").build());
        OutboundSseEvent hello = sse.newEventBuilder().comment("connected").build();
        return Multi.createBy().concatenating().streams(
                Multi.createFrom().item(hello),
                Multi.createBy().merging().streams(events, keepalive));
    }
}
