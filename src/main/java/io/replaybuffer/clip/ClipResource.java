package io.replaybuffer.clip;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.replaybuffer.platform.error.NotFoundProblem;
import io.replaybuffer.platform.ratelimit.Limited;
import io.replaybuffer.platform.ratelimit.UserLimits;
import io.replaybuffer.platform.security.CurrentUser;
import io.replaybuffer.platform.security.UrlSigner;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/clips}: the caller's clip library, downloads and share links. */
@Path("/api/v1/clips")
@Authenticated
@Tag(name = "Clips")
public class ClipResource {

    private final ClipService clips;
    private final ClipFiles files;
    private final CurrentUser user;
    private final CurrentIdentityAssociation identities;
    private final UrlSigner signer;
    private final UserLimits limits;

    ClipResource(ClipService clips, ClipFiles files, CurrentUser user, CurrentIdentityAssociation identities,
            UrlSigner signer, UserLimits limits) {
        this.limits = limits;
        this.clips = clips;
        this.files = files;
        this.user = user;
        this.identities = identities;
        this.signer = signer;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's clips, newest first, with cursor paging")
    public ClipPage list(@QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("cursor") String cursor) {
        return clips.mine(user.caller(), limit, cursor);
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One clip")
    public ClipView get(@PathParam("id") UUID id) {
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

    /**
     * On the event loop, as the file itself is (by sendfile): a download is a lookup and a few headers, and a hop to a
     * worker thread and back cost more CPU than that (JFR of the load benchmark's downloads). Only a clip not read in
     * the last moment goes to a worker, for the database.
     */
    @GET
    @Path("/{id}/download")
    @PermitAll
    @Produces({"video/mp4", "application/problem+json"})
    @Operation(summary = "The MP4 (moov first), with Range, ETag and Last-Modified; a bearer token or a signed link")
    public Uni<Response> download(@PathParam("id") UUID id, @QueryParam("expires") Long expires,
            @QueryParam("g") Integer generation, @QueryParam("signature") String signature,
            @HeaderParam("Range") String range,
            @HeaderParam("If-Range") String ifRange, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            @HeaderParam(HttpHeaders.IF_MODIFIED_SINCE) String ifModifiedSince) {
        Downloads.Request request = new Downloads.Request(range, ifRange, ifNoneMatch, ifModifiedSince);
        return authorised(id, downloadPath(id), expires, generation == null ? 0 : generation, signature)
                .map(clip -> {
                    ClipSnapshot.FileRef file = clip.file();
                    if (clip.status() != ClipStatus.READY || file == null) {
                        throw new ClipNotReadyProblem("the clip is " + clip.status());
                    }
                    String etag = "\"" + clip.id() + "-" + file.sizeBytes() + "\"";
                    return Downloads.serve(files.resolve(file.relativePath()), file.sizeBytes(), etag,
                            file.createdAt(), clip.title() + ".mp4", "video/mp4", request);
                });
    }

    @GET
    @Path("/{id}/thumbnail.jpg")
    @Produces({"image/jpeg", "application/problem+json"})
    @Operation(summary = "A JPEG poster frame of the clip")
    public Response thumbnail(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        ClipSnapshot clip = clips.visible(user.caller(), id);
        ClipSnapshot.FileRef thumbnail = clip.thumbnail();
        if (thumbnail == null) {
            throw new NotFoundProblem("thumbnail");
        }
        String etag = "\"" + thumbnail.id() + "\"";
        return Downloads.serve(files.resolve(thumbnail.relativePath()), thumbnail.sizeBytes(), etag,
                thumbnail.createdAt(), clip.title() + ".jpg", "image/jpeg",
                new Downloads.Request(null, null, ifNoneMatch, null));
    }

    /**
     * A signed link proves the right to the file unless its clip's links were revoked since (the link's generation
     * is behind); otherwise the caller must be signed in and allowed to see the clip.
     */
    private Uni<ClipSnapshot> authorised(UUID id, String path, Long expires, int generation, String signature) {
        if (expires != null || signature != null) {
            UrlSigner.Verdict verdict = signer.check(path, generation, expires, signature);
            if (verdict == UrlSigner.Verdict.INVALID) {
                return Uni.createFrom().failure(new NotFoundProblem("clip"));
            }
            return clips.byIdAsync(id).map(clip -> {
                if (clip.linkGeneration() != generation) {
                    throw new LinkRevokedProblem();
                }
                if (verdict == UrlSigner.Verdict.EXPIRED) {
                    throw new LinkExpiredProblem();
                }
                return clip;
            });
        }
        return identities.getDeferredIdentity().flatMap(who -> clips.visibleAsync(CurrentUser.of(who), id));
    }

    static String downloadPath(UUID id) {
        return "/api/v1/clips/" + id + "/download";
    }
}
