package io.replaybuffer.marker;

import java.util.List;

/** {@code GET .../markers}: the markers of the footage still in the buffer, oldest first. */
public record MarkerList(List<MarkerView> items) {
}
