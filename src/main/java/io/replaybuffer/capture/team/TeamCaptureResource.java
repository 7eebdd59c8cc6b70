package io.replaybuffer.capture.team;

import io.quarkus.security.Authenticated;
import io.replaybuffer.platform.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Team replays (game servers and admins): one window from several players' buffers, and the group it makes. */
@Path("/api/v1")
@Authenticated
@Tag(name = "Team replays")
public class TeamCaptureResource {

    private final TeamCaptureService teams;
    private final CurrentUser user;

    TeamCaptureResource(TeamCaptureService teams, CurrentUser user) {
        this.teams = teams;
        this.user = user;
    }

    @POST
    @Path("/rooms/{roomName}/captures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Capture one wall-clock window from every recording buffer in the room (or the listed "
            + "participants): one clip per player, owned by the player, under one groupId; capture-group.ready "
            + "follows over SSE and webhooks once every clip is READY or FAILED")
    @APIResponse(responseCode = "202", description = "The group, PROCESSING, with each captured player's clip and "
            + "each skipped player's reason")
    @APIResponse(responseCode = "403", description = "The caller is neither a game server nor an admin")
    @APIResponse(responseCode = "422", description = "Nobody could be captured (empty-team-replay, with skipped)")
    public Response capture(@PathParam("roomName") String roomName, @Valid @NotNull TeamCaptureRequest request) {
        CaptureGroupView group = teams.capture(user.caller(), roomName, request);
        return Response.accepted(group).location(URI.create("/api/v1/capture-groups/" + group.groupId())).build();
    }

    @GET
    @Path("/capture-groups/{groupId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A team replay: PROCESSING until every clip is READY or FAILED, then READY (all clips), "
            + "PARTIAL (some) or FAILED (none); visible to the caller that created it and to admins")
    public CaptureGroupView get(@PathParam("groupId") UUID groupId) {
        return teams.get(user.caller(), groupId);
    }
}
