package io.replaybuffer.segment;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How a buffer's footage is named on the segments volume. Egress substitutes {@code {retry}} with its retry count,
 * so a restarted egress writes beside the first attempt instead of over it (and LiveKit refuses a retry whose
 * prefix lacks it). With no directory in the playlist names, egress puts them in the prefix's directory:
 *
 * <pre>
 *   &lt;buffer dir&gt;/seg-r0_00000.ts, seg-r0_00001.ts, ...   INDEX suffix: prefix + "_" + 5-digit sequence
 *   &lt;buffer dir&gt;/playlist-r0.m3u8                           EVENT playlist, every segment with its wall clock
 *   &lt;buffer dir&gt;/live-r0.m3u8                               the last 5 segments, rewritten in place
 * </pre>
 */
public final class SegmentLayout {

    public static final String SEGMENT_PREFIX_TEMPLATE = "seg-r{retry}";
    public static final String PLAYLIST_TEMPLATE = "playlist-r{retry}.m3u8";
    public static final String LIVE_PLAYLIST_TEMPLATE = "live-r{retry}.m3u8";

    private static final Pattern PLAYLIST = Pattern.compile("(?:playlist|live)-r(\\d{1,4})\\.m3u8");
    private static final Pattern DIR = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private SegmentLayout() {
    }

    /** The directory a buffer records into, under the segments root. */
    public static String dirName(UUID bufferId) {
        return bufferId.toString();
    }

    public static boolean isDirName(String name) {
        return DIR.matcher(name).matches();
    }

    /** The {@code filename_prefix} egress gets: the volume as egress sees it, the buffer's dir, the retry template. */
    public static String egressPrefix(String egressOutputRoot, String dir) {
        String root = egressOutputRoot.endsWith("/") ? egressOutputRoot : egressOutputRoot + "/";
        return root + dir + "/" + SEGMENT_PREFIX_TEMPLATE;
    }

    /** The buffer dir an egress prefix points into, if it is one of ours. */
    public static Optional<String> dirOfPrefix(String egressOutputRoot, String prefix) {
        String root = egressOutputRoot.endsWith("/") ? egressOutputRoot : egressOutputRoot + "/";
        if (prefix == null || !prefix.startsWith(root) || !prefix.endsWith("/" + SEGMENT_PREFIX_TEMPLATE)) {
            return Optional.empty();
        }
        String dir = prefix.substring(root.length(), prefix.length() - SEGMENT_PREFIX_TEMPLATE.length() - 1);
        return isDirName(dir) ? Optional.of(dir) : Optional.empty();
    }

    public static String segmentName(int retry, long sequence) {
        return String.format("seg-r%d_%05d.ts", retry, sequence);
    }

    public static String playlistName(int retry) {
        return PLAYLIST_TEMPLATE.replace("{retry}", Integer.toString(retry));
    }

    public static String livePlaylistName(int retry) {
        return LIVE_PLAYLIST_TEMPLATE.replace("{retry}", Integer.toString(retry));
    }

    /**
     * A segment file's retry and sequence, or empty for anything else: exactly {@code seg-r<1-4 digits>_<5-12
     * digits>.ts}, ASCII digits only. Parsed by hand rather than by regular expression because the sweep asks this
     * of every file on the volume, every minute; it also guards the segment URLs, so it accepts nothing looser.
     */
    public static Optional<SegmentName> parseSegment(String fileName) {
        int end = fileName.length() - 3;
        if (!fileName.startsWith("seg-r") || !fileName.endsWith(".ts")) {
            return Optional.empty();
        }
        int underscore = fileName.indexOf('_', 5);
        if (underscore < 0 || !digits(fileName, 5, underscore, 1, 4) || !digits(fileName, underscore + 1, end, 5, 12)) {
            return Optional.empty();
        }
        return Optional.of(new SegmentName(Integer.parseInt(fileName, 5, underscore, 10),
                Long.parseLong(fileName, underscore + 1, end, 10)));
    }

    private static boolean digits(String text, int from, int to, int min, int max) {
        if (to - from < min || to - from > max) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public static boolean isPlaylist(String fileName) {
        return fileName.endsWith(".m3u8") && PLAYLIST.matcher(fileName).matches();
    }

    /** Which egress attempt and which segment of it a file holds. */
    public record SegmentName(int retry, long sequence) {
        public String fileName() {
            return segmentName(retry, sequence);
        }
    }
}
