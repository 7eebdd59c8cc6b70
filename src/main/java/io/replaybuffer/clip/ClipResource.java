package io.replaybuffer.clip;

import io.quarkus.security.Authenticated;
import io.replaybuffer.platform.ratelimit.Limited;
import io.replaybuffer.platform.ratelimit.UserLimits;
import io.replaybuffer.platform.security.CurrentUser;
import io.replaybuffer.platform.security.UrlSigner;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/clips}: the caller's clip library and share links (the files themselves: {@link ClipFileRoutes}). */
@Path("/api/v1/clips")
@Authenticated
@Tag(name = "Clips")
public class ClipResource {

    private final ClipService clips;
    private final CurrentUser user;
    private final UrlSigner signer;
    private final UserLimits limits;

    ClipResource(ClipService clips, CurrentUser user, UrlSigner signer, UserLimits limits) {
        this.limits = limits;
        this.clips = clips;
        this.user = user;
        this.signer = signer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's clips, newest first, with cursor paging")
    public Uni<ClipPage> list(@QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("cursor") String cursor) {
        return clips.mine(user.caller(), limit, cursor);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One clip")
    public Uni<ClipView> get(@PathParam("id") UUID id) {
        return clips.get(user.caller(), id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Rename a clip or change its visibility")
    public ClipView patch(@PathParam("id") UUID id, @Valid @NotNull ClipPatch patch) {
        return clips.patch(user.caller(), id, patch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a clip and free its quota")
    public Response delete(@PathParam("id") UUID id) {
        clips.delete(user.caller(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/links")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A signed download URL that works without a token until it expires")
    public LinkRequest.Link link(@PathParam("id") UUID id, @Valid @NotNull LinkRequest request) {
        ClipSnapshot clip = clips.visible(user.caller(), id);
        if (!user.caller().mayAccess(clip.userId())) {
            throw new io.quarkus.security.ForbiddenException("only the owner may share a clip");
        }
        if (clip.status() != ClipStatus.READY) {
            throw new ClipNotReadyProblem("the clip is " + clip.status());
        }
        limits.acquire(Limited.LINK, user.id()); // signing cannot fail: nothing to give back
        Instant expires = clips.now().plusSeconds(request.expiresInSeconds());
        return new LinkRequest.Link(signer.sign(downloadPath(id), clip.linkGeneration(), expires), expires);
    }

    @DELETE
    @Path("/{id}/links")
    @Operation(summary = "Revoke every share link of the clip made so far (making the clip PRIVATE does the same)")
    @APIResponse(responseCode = "204", description = "Every earlier link now answers 410 link-revoked")
    public Response revokeLinks(@PathParam("id") UUID id) {
        clips.revokeLinks(user.caller(), id);
        return Response.noContent().build();
    }

    /** The path a signed link to the clip's file signs ({@link ClipFileRoutes} serves it). */
    static String downloadPath(UUID id) {
        return "/api/v1/clips/" + id + "/download";
    }
}
