package io.replaybuffer.platform.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** Test-only endpoint answering with one shared instance, as a cache would hand it out. */
@Path("/api/v1/test-shared-json")
@PermitAll
public class SharedJsonProbeResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Body(String name, Instant at, double seconds, String absent, List<String> tags) implements SharedJson {
    }

    static final Body SHARED = new Body("shared \"one\"", Instant.parse("2026-11-28T10:15:30.123456Z"), 12.5, null,
            List.of("a", "ü"));

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Body shared() {
        return SHARED;
    }
}
