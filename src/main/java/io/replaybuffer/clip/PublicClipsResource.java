package io.replaybuffer.clip;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/users/{userId}/clips}: a user's PUBLIC clips, for any signed-in caller. */
@Path("/api/v1/users/{userId}/clips")
@Authenticated
@Tag(name = "Clips")
public class PublicClipsResource {

    private final ClipService clips;

    PublicClipsResource(ClipService clips) {
        this.clips = clips;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A user's public clips, newest first")
    public Uni<ClipPage> list(@PathParam("userId") String userId, @QueryParam("limit") @DefaultValue("20") int limit,
            @QueryParam("cursor") String cursor) {
        return clips.publicOf(userId, limit, cursor);
    }
}
