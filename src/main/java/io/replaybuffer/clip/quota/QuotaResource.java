package io.replaybuffer.clip.quota;

import io.quarkus.security.Authenticated;
import io.replaybuffer.platform.security.CurrentUser;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /api/v1/quota}: the caller's clip storage. */
@Path("/api/v1/quota")
@Authenticated
@Tag(name = "Quota")
public class QuotaResource {

    private final QuotaService quotas;
    private final CurrentUser user;

    QuotaResource(QuotaService quotas, CurrentUser user) {
        this.quotas = quotas;
        this.user = user;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's clip storage: bytes and clips used and allowed")
    public QuotaView get() {
        return quotas.read(user.id());
    }
}
