package io.replaybuffer.segment;

import io.replaybuffer.platform.storage.VolumeFiles;
import java.io.IOException;
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

    /** Reads a playlist from the untrusted volume; a missing file is an empty playlist, a link or FIFO an error. */
    public static HlsPlaylist read(Path file) throws IOException {
        return VolumeFiles.readText(file, SegmentIndex.MAX_PLAYLIST_BYTES).map(HlsPlaylist::parse).orElse(EMPTY);
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
        String text = value.strip();
        Instant fast = parseUtcMillis(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Egress' own form, read without the general parser (cleanup reads every playlist on every sweep, and the general
     * one costs more than the rest of the sweep). Egress formats with Go's layout {@code 2006-01-02T15:04:05.999Z07:00}
     * ({@code livekit/egress pkg/pipeline/sink/m3u8/writer.go}): UTC as {@code Z}, the fraction's trailing zeros
     * dropped and no fraction at all on a whole second, so {@code …T14:19:08.17Z} and {@code …T14:19:09Z}. Our own
     * writers used {@code .000Z} or {@code +00:00}; both are read too. Anything else returns null.
     */
    static Instant parseUtcMillis(String t) {
        int end;
        if (t.endsWith("Z")) {
            end = t.length() - 1;
        } else if (t.endsWith("+00:00")) {
            end = t.length() - 6;
        } else {
            return null;
        }
        if (end < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int nanos = 0;
        if (end > 19) {
            int fraction = end - 20;
            if (t.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(t, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
        } catch (java.time.DateTimeException e) {
            return null; // the 31st of a short month
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
