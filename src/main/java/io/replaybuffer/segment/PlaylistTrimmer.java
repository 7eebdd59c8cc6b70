package io.replaybuffer.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Drops entries of deleted segments from a buffer's main playlists, so they never point at missing files. Egress
 * rewrites its main playlist from memory now and then and may list old entries again; the index tolerates that
 * (it checks files) and the next sweep trims again.
 */
public final class PlaylistTrimmer {

    private PlaylistTrimmer() {
    }

    /** Rewrites (atomically) each retry's main playlist without the segments numbered below its keep-from. */
    public static void trim(Path directory, Map<Integer, Long> keepFrom) throws IOException {
        for (Map.Entry<Integer, Long> retry : keepFrom.entrySet()) {
            Path file = directory.resolve(SegmentLayout.playlistName(retry.getKey()));
            HlsPlaylist playlist = HlsPlaylist.read(file);
            List<HlsPlaylist.Entry> kept = playlist.entries().stream()
                    .filter(e -> SegmentLayout.parseSegment(e.uri().substring(e.uri().lastIndexOf('/') + 1))
                            .map(name -> name.sequence() >= retry.getValue()).orElse(true))
                    .toList();
            if (kept.size() == playlist.entries().size() || !Files.exists(file)) {
                continue;
            }
            PlaylistWriter.writeAtomically(file, PlaylistWriter.render(kept, retry.getValue(), true, playlist.ended()));
        }
    }
}
