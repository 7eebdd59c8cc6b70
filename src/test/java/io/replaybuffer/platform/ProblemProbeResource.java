package io.replaybuffer.platform;

import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Test-only endpoint that takes a validated JSON body, to exercise the error mapping. */
@Path("/api/v1/test-probe")
@Authenticated
public class ProblemProbeResource {

    public record Body(@NotBlank String name, @Min(1) @Max(10) int count) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Body echo(@Valid Body body) {
        if ("boom".equals(body.name())) {
            throw new IllegalStateException("secret internal detail at /var/lib/secret.sql");
        }
        return body;
    }
}
