package io.replaybuffer.segment;

import io.replaybuffer.platform.storage.VolumeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drops entries of deleted segments from a buffer's main playlists, so they never point at missing files. Egress
 * rewrites its main playlist from memory now and then and may list old entries again; the index tolerates that
 * (it checks files) and the next sweep trims again.
 */
public final class PlaylistTrimmer {

    private PlaylistTrimmer() {
    }

    /** Rewrites (atomically) each attempt's main playlist without the segments numbered below its keep-from. */
    public static void trim(Path directory, Map<SegmentLayout.Attempt, Long> keepFrom) throws IOException {
        for (Map.Entry<SegmentLayout.Attempt, Long> attempt : keepFrom.entrySet()) {
            Path file = directory.resolve(attempt.getKey().playlist());
            Optional<String> read = VolumeFiles.readText(file, SegmentIndex.MAX_PLAYLIST_BYTES);
            if (read.isEmpty()) {
                continue;
            }
            String text = read.get();
            long first = attempt.getValue();
            String cut = cutBefore(text, attempt.getKey().segment(first), first);
            if (cut != null) {
                if (cut.length() != text.length()) {
                    PlaylistWriter.writeAtomically(file, cut);
                }
                continue;
            }
            HlsPlaylist playlist = HlsPlaylist.parse(text);
            List<HlsPlaylist.Entry> kept = playlist.entries().stream()
                    .filter(e -> SegmentLayout.parseSegment(e.uri().substring(e.uri().lastIndexOf('/') + 1))
                            .map(name -> name.sequence() >= first).orElse(true))
                    .toList();
            if (kept.size() == playlist.entries().size() || !VolumeFiles.isRegularFile(file)) {
                continue;
            }
            PlaylistWriter.writeAtomically(file, PlaylistWriter.render(kept, first, true, playlist.ended()));
        }
    }

    /**
     * The playlist text without the entries before {@code firstKept}, cut as text: the sweep trims every buffer's
     * playlist every minute, and re-parsing and re-rendering them would cost more than the deletions. Works on the
     * regular shape egress writes (header, then entries each ending in a {@code .ts} line); returns null for
     * anything else, which is then parsed and re-rendered.
     */
    static String cutBefore(String text, String firstKept, long firstKeptSequence) {
        int firstEntry = firstEntryTag(text, 0);
        int kept = text.indexOf("\n" + firstKept + "\n");
        if (firstEntry < 0 || kept < 0 || text.contains("#EXT-X-DISCONTINUITY")) {
            return null;
        }
        int entryStart = text.lastIndexOf(".ts\n", kept);
        if (entryStart < firstEntry) {
            return text; // the first listed entry is kept: nothing to cut
        }
        entryStart += 4;
        String header = text.substring(0, firstEntry)
                .replaceFirst("#EXT-X-MEDIA-SEQUENCE:\\d+", "#EXT-X-MEDIA-SEQUENCE:" + firstKeptSequence);
        return header + text.substring(entryStart);
    }

    private static int firstEntryTag(String text, int from) {
        int time = text.indexOf("#EXT-X-PROGRAM-DATE-TIME", from);
        int inf = text.indexOf("#EXTINF", from);
        return time < 0 ? inf : inf < 0 ? time : Math.min(time, inf);
    }
}
