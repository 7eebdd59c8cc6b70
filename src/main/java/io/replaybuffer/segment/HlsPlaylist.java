package io.replaybuffer.segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The HLS media playlists egress writes: each segment is {@code #EXT-X-PROGRAM-DATE-TIME}, {@code #EXTINF} and a
 * URI line. Parsing is forgiving because egress rewrites the live playlist in place (truncate + write): a reader may
 * see it empty or cut mid-line, so an entry counts only once its URI line is complete (ends with a newline).
 */
public record HlsPlaylist(List<Entry> entries, boolean ended) {

    /** One listed segment: its file name, wall-clock start (null if the playlist never gave one) and duration. */
    public record Entry(String uri, Instant programDateTime, double durationSeconds) {
    }

    public static final HlsPlaylist EMPTY = new HlsPlaylist(List.of(), false);

    /** Reads a playlist; a missing file is an empty playlist. */
    public static HlsPlaylist read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return EMPTY;
        }
    }

    public static HlsPlaylist parse(String text) {
        List<Entry> entries = new ArrayList<>();
        boolean ended = false;
        Instant pendingTime = null;
        Double pendingDuration = null;
        Instant lastEnd = null;
        int start = 0;
        // Only newline-terminated lines are read: a trailing fragment is a line still being written.
        for (int newline = text.indexOf('\n'); newline >= 0; start = newline + 1, newline = text.indexOf('\n', start)) {
            String line = text.substring(start, newline).strip();
            if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                pendingTime = parseTime(line.substring("#EXT-X-PROGRAM-DATE-TIME:".length()));
            } else if (line.startsWith("#EXTINF:")) {
                pendingDuration = parseDuration(line.substring("#EXTINF:".length()));
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                if (pendingDuration != null) {
                    // Without its own timestamp a segment follows the previous one, as HLS specifies.
                    Instant begin = pendingTime != null ? pendingTime : lastEnd;
                    entries.add(new Entry(line, begin, pendingDuration));
                    lastEnd = begin == null ? null : begin.plusNanos(Math.round(pendingDuration * 1e9));
                }
                pendingTime = null;
                pendingDuration = null;
            }
        }
        return new HlsPlaylist(List.copyOf(entries), ended);
    }

    private static Instant parseTime(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Double parseDuration(String value) {
        int comma = value.indexOf(',');
        try {
            double seconds = Double.parseDouble((comma >= 0 ? value.substring(0, comma) : value).strip());
            return seconds > 0 && Double.isFinite(seconds) ? seconds : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
