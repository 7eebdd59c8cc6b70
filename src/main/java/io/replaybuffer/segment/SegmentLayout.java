package io.replaybuffer.segment;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
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

    private static final Pattern SEGMENT = Pattern.compile("seg-r(\\d{1,4})_(\\d{5,12})\\.ts");
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

    /** A segment file's retry and sequence, or empty for anything else. */
    public static Optional<SegmentName> parseSegment(String fileName) {
        Matcher m = SEGMENT.matcher(fileName);
        return m.matches()
                ? Optional.of(new SegmentName(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2))))
                : Optional.empty();
    }

    public static boolean isPlaylist(String fileName) {
        return PLAYLIST.matcher(fileName).matches();
    }

    /** Which egress attempt and which segment of it a file holds. */
    public record SegmentName(int retry, long sequence) {
        public String fileName() {
            return segmentName(retry, sequence);
        }
    }
}
