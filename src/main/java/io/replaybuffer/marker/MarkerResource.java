package io.replaybuffer.marker;

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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v1/replay-buffers/{id}/markers}: moments marked in a buffer's footage. */
@Path("/api/v1/replay-buffers/{id}/markers")
@Authenticated
@Tag(name = "Markers")
public class MarkerResource {

    private final MarkerService markers;
    private final CurrentUser user;

    MarkerResource(MarkerService markers, CurrentUser user) {
        this.markers = markers;
        this.user = user;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Mark a moment (label 1-100 characters, optional kind [a-z0-9_.-]{1,32}, optional at: inside "
            + "the buffer or up to 5 s ahead, default now). The buffer's owner, game servers and admins may mark; "
            + "clips covering it list it and carry it as an MP4 chapter")
    public Response mark(@PathParam("id") UUID bufferId, @Valid @NotNull MarkerRequest request) {
        return Response.status(Response.Status.CREATED).entity(markers.mark(user.caller(), bufferId, request)).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The markers of the footage still in the buffer, oldest first")
    public MarkerList list(@PathParam("id") UUID bufferId) {
        return markers.list(user.caller(), bufferId);
    }
}
