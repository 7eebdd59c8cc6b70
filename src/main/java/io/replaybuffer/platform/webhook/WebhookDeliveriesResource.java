package io.replaybuffer.platform.webhook;

import io.replaybuffer.platform.security.CurrentUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/admin/webhook-deliveries}: what the outgoing webhooks did, so operators can see what was refused
 * and why. Admins only: the listing spans every user's events and names the endpoints.
 */
@Path("/api/v1/admin/webhook-deliveries")
@RolesAllowed(CurrentUser.ADMIN)
@Tag(name = "Operations")
public class WebhookDeliveriesResource {

    private final DeliveryLog log;

    WebhookDeliveriesResource(DeliveryLog log) {
        this.log = log;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Outgoing webhook deliveries with their attempts, newest first (admin)",
            description = "status: failed, pending or delivered (default all); cursor paging with limit (1-200).")
    public DeliveryView.Page list(@QueryParam("status") String status,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("cursor") String cursor) {
        return log.list(status, limit, cursor);
    }
}
