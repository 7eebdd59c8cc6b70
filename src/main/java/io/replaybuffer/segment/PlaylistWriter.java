package io.replaybuffer.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Writes HLS media playlists in the format egress produces (EVENT type, wall clock per segment). */
public final class PlaylistWriter {

    private static final DateTimeFormatter PDT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private PlaylistWriter() {
    }

    /** The playlist text for {@code entries}; {@code mediaSequence} is the first entry's sequence number. */
    public static String render(List<HlsPlaylist.Entry> entries, long mediaSequence, boolean event, boolean ended) {
        double longest = entries.stream().mapToDouble(HlsPlaylist.Entry::durationSeconds).max().orElse(1);
        StringBuilder out = new StringBuilder(64 + entries.size() * 96)
                .append("#EXTM3U\n#EXT-X-VERSION:3\n")
                .append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(longest)).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
        if (event) {
            out.append("#EXT-X-PLAYLIST-TYPE:EVENT\n");
        }
        for (HlsPlaylist.Entry entry : entries) {
            if (entry.programDateTime() != null) {
                out.append("#EXT-X-PROGRAM-DATE-TIME:").append(PDT.format(entry.programDateTime())).append('\n');
            }
            out.append(String.format(Locale.ROOT, "#EXTINF:%.3f,", entry.durationSeconds())).append('\n').append(entry.uri()).append('\n');
        }
        if (ended) {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /** Replaces a playlist atomically (temp file + rename), so readers see the old or the new one, never half. */
    public static void writeAtomically(Path playlist, String text) throws IOException {
        Path temp = playlist.resolveSibling("." + playlist.getFileName() + ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, playlist, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rewrites a playlist in place (truncate + write), the way egress updates its live playlist. */
    public static void writeInPlace(Path playlist, String text) throws IOException {
        Files.writeString(playlist, text, StandardCharsets.UTF_8);
    }

}
