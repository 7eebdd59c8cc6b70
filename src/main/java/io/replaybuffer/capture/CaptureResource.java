package io.replaybuffer.capture;

import io.quarkus.security.Authenticated;
import io.replaybuffer.clip.ClipView;
import io.replaybuffer.platform.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /api/v1/replay-buffers/{id}/captures}: save the last N seconds, or a range, as a clip. */
@Path("/api/v1/replay-buffers/{id}/captures")
@Authenticated
@Tag(name = "Captures")
public class CaptureResource {

    private final CaptureService captures;
    private final CurrentUser user;

    CaptureResource(CaptureService captures, CurrentUser user) {
        this.captures = captures;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Capture a replay: answers 202 with the clip PROCESSING once its footage is secured; "
            + "clip.ready follows over SSE. With afterSeconds (or an endAt ahead, up to REPLAY_MAX_POST_ROLL_SECONDS) "
            + "the window reaches past the request: the clip says waitingUntil, and is built once that footage exists "
            + "(truncated, with detail, if the buffer stops first)")
    public Response capture(@PathParam("id") UUID bufferId, @Valid @NotNull CaptureRequest request) {
        ClipView clip = captures.capture(user.caller(), bufferId, request);
        return Response.accepted(clip).location(URI.create("/api/v1/clips/" + clip.id())).build();
    }
}
