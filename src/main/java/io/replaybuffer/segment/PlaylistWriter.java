package io.replaybuffer.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Writes HLS media playlists in the format egress produces (EVENT type, wall clock per segment). */
public final class PlaylistWriter {

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
                out.append("#EXT-X-PROGRAM-DATE-TIME:");
                appendTime(out, entry.programDateTime());
                out.append('\n');
            }
            out.append("#EXTINF:");
            appendSeconds(out, entry.durationSeconds());
            out.append(",\n").append(entry.uri()).append('\n');
        }
        if (ended) {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /** {@code 2026-11-21T10:00:00.000Z}, written by hand: the sweep rewrites playlists often. */
    static void appendTime(StringBuilder out, Instant instant) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2).append('.');
        pad(out, instant.getNano() / 1_000_000, 3).append('Z');
    }

    /** Seconds with exactly three decimals, as egress writes EXTINF. */
    static void appendSeconds(StringBuilder out, double seconds) {
        long millis = Math.round(seconds * 1000);
        out.append(millis / 1000).append('.');
        pad(out, (int) (millis % 1000), 3);
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
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
