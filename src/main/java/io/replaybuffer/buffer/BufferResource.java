package io.replaybuffer.buffer;

import io.quarkus.security.Authenticated;
import io.replaybuffer.platform.error.NotFoundProblem;
import io.replaybuffer.platform.ratelimit.Limited;
import io.replaybuffer.platform.ratelimit.UserLimits;
import io.replaybuffer.platform.security.CurrentUser;
import io.replaybuffer.platform.security.UrlSigner;
import io.replaybuffer.segment.PreviewPlaylist;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/replay-buffers}: a player's rolling recording. */
@Path("/api/v1/replay-buffers")
@Authenticated
@Tag(name = "Replay buffers")
public class BufferResource {

    static final String HLS = "application/vnd.apple.mpegurl";
    /** Long enough for a trim session; the player reloads the playlist and gets fresh links anyway. */
    private static final Duration SEGMENT_LINK_TTL = Duration.ofHours(1);

    private final BufferService buffers;
    private final BufferViews views;
    private final CurrentUser user;
    private final UrlSigner signer;
    private final Clock clock;
    private final UserLimits limits;

    BufferResource(BufferService buffers, BufferViews views, CurrentUser user, UrlSigner signer, Clock clock,
            UserLimits limits) {
        this.limits = limits;
        this.buffers = buffers;
        this.views = views;
        this.user = user;
        this.signer = signer;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start keeping a rolling buffer of the caller's tracks (replaces the caller's live buffer)")
    public Response start(@Valid @NotNull StartBufferRequest request) {
        BufferView view = buffers.start(user.caller(), request);
        return Response.created(URI.create("/api/v1/replay-buffers/" + view.id())).entity(view).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Game servers and admins: the recording buffers (STARTING or ACTIVE) matching every filter "
            + "given, newest first; a plain user is refused (403)")
    @APIResponse(responseCode = "200", description = "The buffers, as {\"items\": [...]}")
    @APIResponse(responseCode = "403", description = "The caller is neither a game server nor an admin")
    public BufferList list(@QueryParam("userId") String userId, @QueryParam("roomName") String roomName,
            @QueryParam("participantIdentity") String participantIdentity,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return new BufferList(buffers.recording(user.caller(),
                new BufferFilter(userId, roomName, participantIdentity, limit)));
    }

    /** The body of the listing. */
    public record BufferList(java.util.List<BufferView> items) {
    }

    @GET
    @Path("/current")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's live buffer")
    public BufferView current() {
        return buffers.current(user.caller()).orElseThrow(() -> new NotFoundProblem("live replay buffer"));
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One buffer, with how much footage is capturable now")
    public BufferView get(@PathParam("id") UUID id) {
        return buffers.get(user.caller(), id);
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Stop a buffer; its footage stays capturable for REPLAY_STOPPED_GRACE")
    public BufferView stop(@PathParam("id") UUID id) {
        return buffers.stop(user.caller(), id);
    }

    @GET
    @Path("/{id}/preview.m3u8")
    @Produces(HLS)
    @Operation(summary = "HLS playlist of the footage in the buffer now, with signed segment URLs")
    public Response preview(@PathParam("id") UUID id) {
        ReplayBufferSession session = buffers.owned(user.caller(), id);
        // Each playlist reads the buffer's footage from disk: a permit per playlist, given back if reading fails.
        String playlist = limits.guarded(Limited.PREVIEW, user.id(), () -> PreviewPlaylist.render(
                views.footage(session), segment -> signer.sign(BufferSegmentsResource.path(id, segment.fileName()),
                        clock.instant().plus(SEGMENT_LINK_TTL)), session.status.finished()));
        return Response.ok(playlist, HLS).header("Cache-Control", "no-store").build();
    }
}
