package io.replaybuffer.clip;

import io.replaybuffer.platform.http.SharedJson;
import java.util.List;

/** One page of clips, newest first; {@code nextCursor} is null on the last page. */
public record ClipPage(List<ClipView> items, String nextCursor) implements SharedJson {
}
