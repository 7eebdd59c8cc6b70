package io.replaybuffer.marker;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** A marker as clients (and the {@code marker.created} webhook) see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MarkerView(UUID id, UUID bufferId, Instant at, String label, String kind, String createdBy) {

    static MarkerView of(Marker marker) {
        return new MarkerView(marker.id, marker.bufferId, marker.at, marker.label, marker.kind, marker.createdBy);
    }
}
