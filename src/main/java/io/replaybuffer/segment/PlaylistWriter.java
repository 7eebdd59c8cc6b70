package io.replaybuffer.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * HLS media playlists in the text egress writes ({@code livekit/egress pkg/pipeline/sink/m3u8/writer.go}): the
 * simulated egress and the test fake write it, and the sweep rewrites trimmed playlists in it.
 *
 * <pre>
 * #EXTM3U
 * #EXT-X-VERSION:4
 * #EXT-X-PLAYLIST-TYPE:EVENT            EVENT playlist only (createHeader)
 * #EXT-X-ALLOW-CACHE:NO
 * #EXT-X-TARGETDURATION:10              the configured segment duration, not measured
 * #EXT-X-MEDIA-SEQUENCE:0               0 for EVENT; the live playlist's first sequence for live
 * #EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:04.81Z    Go layout 2006-01-02T15:04:05.999Z07:00 (createSegmentEntry)
 * #EXTINF:4.000,                        strconv.FormatFloat(duration, 'f', 3, 32)
 * seg-r{retry}_00000.ts
 * #EXT-X-ENDLIST                        on Close
 * </pre>
 */
public final class PlaylistWriter {

    private PlaylistWriter() {
    }

    /**
     * The playlist text for {@code entries}; {@code mediaSequence} is the first entry's sequence number (egress' EVENT
     * playlist always starts at 0; the live one and a playlist whose head the sweep cut start later).
     */
    public static String render(List<HlsPlaylist.Entry> entries, long mediaSequence, boolean event, boolean ended,
            int targetDurationSeconds) {
        StringBuilder out = new StringBuilder(128 + entries.size() * 96)
                .append("#EXTM3U\n#EXT-X-VERSION:4\n");
        if (event) {
            out.append("#EXT-X-PLAYLIST-TYPE:EVENT\n");
        }
        out.append("#EXT-X-ALLOW-CACHE:NO\n")
                .append("#EXT-X-TARGETDURATION:").append(targetDurationSeconds).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
        for (HlsPlaylist.Entry entry : entries) {
            appendEntry(out, entry);
        }
        if (ended) {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }

    /** {@link #render} with the target duration taken from the longest entry (for rewriting a playlist we read). */
    public static String render(List<HlsPlaylist.Entry> entries, long mediaSequence, boolean event, boolean ended) {
        double longest = entries.stream().mapToDouble(HlsPlaylist.Entry::durationSeconds).max().orElse(1);
        return render(entries, mediaSequence, event, ended, (int) Math.ceil(longest));
    }

    /** One segment's three lines, as egress appends them. */
    public static void appendEntry(StringBuilder out, HlsPlaylist.Entry entry) {
        if (entry.programDateTime() != null) {
            out.append("#EXT-X-PROGRAM-DATE-TIME:");
            appendTime(out, entry.programDateTime());
            out.append('\n');
        }
        out.append("#EXTINF:");
        appendSeconds(out, entry.durationSeconds());
        out.append(",\n").append(entry.uri()).append('\n');
    }

    /**
     * Go's {@code 2006-01-02T15:04:05.999Z07:00} in UTC: milliseconds with trailing zeros dropped, and no fraction
     * at all on a whole second ({@code …:05.81Z}, {@code …:05Z}). Written by hand: the sweep rewrites playlists often.
     */
    static void appendTime(StringBuilder out, Instant instant) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        int millis = instant.getNano() / 1_000_000;
        if (millis > 0) {
            int digits = 3;
            while (millis % 10 == 0) {
                millis /= 10;
                digits--;
            }
            pad(out.append('.'), millis, digits);
        }
        out.append('Z');
    }

    /** Seconds with exactly three decimals from a float32, as Go's {@code FormatFloat(d, 'f', 3, 32)}. */
    static void appendSeconds(StringBuilder out, double seconds) {
        // The float32's exact binary value, correctly rounded, as Go's strconv does.
        out.append(new java.math.BigDecimal((double) (float) seconds)
                .setScale(3, java.math.RoundingMode.HALF_EVEN).toPlainString());
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    /**
     * Replaces a playlist atomically (temp file + rename), so readers see the old or the new one, never half. The
     * temp file has an unpredictable name and is created exclusively: the folder is shared with egress pods, and a
     * fixed name could be a planted link that the write would follow.
     */
    public static void writeAtomically(Path playlist, String text) throws IOException {
        Path temp = Files.createTempFile(playlist.getParent(), "." + playlist.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, playlist, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
