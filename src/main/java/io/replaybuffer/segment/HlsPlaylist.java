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
     * Egress' own form, {@code 2026-11-21T10:00:00.000Z} or {@code ...000+00:00}, read without the general parser:
     * cleanup reads every playlist on every sweep, and the general one costs more than the rest of the sweep.
     */
    static Instant parseUtcMillis(String t) {
        boolean zulu = t.length() == 24 && t.charAt(23) == 'Z';
        boolean offset = t.length() == 29 && t.endsWith("+00:00");
        if (!(zulu || offset) || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != '.') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int millis = digits(t, 20, 3);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59 || millis < 0) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, millis * 1_000_000L);
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
