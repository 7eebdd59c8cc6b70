package io.replaybuffer.segment;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one place that knows how footage is named on the segments volume.
 *
 * <p>We ask egress for templates with {@code {retry}} in them, and egress fills that in only on a retried attempt:
 * {@code getFilenameInfo} ({@code livekit/egress pkg/config/output_file.go}) and {@code UpdateInfoFromSDK}
 * ({@code pkg/config/pipeline.go}) add the {@code {retry}} replacement only when {@code RetryCount > 0}, and
 * {@code stringReplace} leaves unknown keys alone. So a first attempt writes the braces literally and a retry writes
 * its number ({@code ErrNonRetryableOutput}, {@code pkg/config/output_segment.go}, is why the template must hold
 * {@code {retry}} at all: without it a retry would overwrite the first attempt's files):
 *
 * <pre>
 *   &lt;buffer dir&gt;/seg-r{retry}_00000.ts, seg-r{retry}_00001.ts, ...  first attempt, INDEX suffix: prefix_%05d.ts
 *   &lt;buffer dir&gt;/playlist-r{retry}.m3u8  live-r{retry}.m3u8              its EVENT and live playlists
 *   &lt;buffer dir&gt;/seg-r1_00000.ts, playlist-r1.m3u8, live-r1.m3u8       the first retry, numbering from 0 again
 * </pre>
 *
 * Buffers recorded before this was understood may hold {@code seg-r0_…} (our own simulated egress wrote those); such
 * an attempt is tag {@code 0} and orders with the first attempt. Which attempts a buffer has is learnt from what
 * egress reports ({@code segment_results}), never guessed, except through {@link SegmentIndex}'s discovery for an
 * egress whose reports were all lost.
 */
public final class SegmentLayout {

    /** Egress' own placeholder, literal in a first attempt's names. */
    public static final String RETRY = "{retry}";
    private static final String SEGMENT = "seg-r";
    private static final String PLAYLIST = "playlist-r";
    private static final String LIVE = "live-r";
    private static final String M3U8 = ".m3u8";

    public static final String SEGMENT_PREFIX_TEMPLATE = SEGMENT + RETRY;
    public static final String PLAYLIST_TEMPLATE = PLAYLIST + RETRY + M3U8;
    public static final String LIVE_PLAYLIST_TEMPLATE = LIVE + RETRY + M3U8;

    private static final Pattern DIR = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private SegmentLayout() {
    }

    /**
     * One egress attempt's name tag: {@code {retry}} for a first attempt, the retry count for a retry, or a legacy
     * {@code 0}. Attempts order by retry count, so the index can lay them out in time.
     */
    public record Attempt(String tag) implements Comparable<Attempt> {

        public static final Attempt FIRST = new Attempt(RETRY);

        public Attempt {
            if (!isTag(tag, 0, tag.length())) {
                throw new IllegalArgumentException("not an attempt tag: " + tag);
            }
        }

        /** The attempt egress writes for a given {@code retry_count}: the braces stay when it is 0. */
        public static Attempt ofRetryCount(int retryCount) {
            if (retryCount < 0 || retryCount > 9999) {
                throw new IllegalArgumentException("retry count out of range: " + retryCount);
            }
            return retryCount == 0 ? FIRST : new Attempt(Integer.toString(retryCount));
        }

        public int retryCount() {
            return tag.equals(RETRY) ? 0 : Integer.parseInt(tag);
        }

        public String playlist() {
            return PLAYLIST + tag + M3U8;
        }

        public String livePlaylist() {
            return LIVE + tag + M3U8;
        }

        /** The INDEX-suffix file name egress gives segment {@code sequence}: {@code prefix_%05d.ts}. */
        public String segment(long sequence) {
            StringBuilder name = new StringBuilder(SEGMENT.length() + tag.length() + 12).append(SEGMENT).append(tag)
                    .append('_');
            String digits = Long.toString(sequence);
            for (int i = digits.length(); i < 5; i++) {
                name.append('0');
            }
            return name.append(digits).append(".ts").toString();
        }

        @Override
        public int compareTo(Attempt other) {
            int byCount = Integer.compare(retryCount(), other.retryCount());
            return byCount != 0 ? byCount : tag.compareTo(other.tag);
        }
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
        return withSlash(egressOutputRoot) + dir + "/" + SEGMENT_PREFIX_TEMPLATE;
    }

    /** The buffer dir an egress prefix points into, if it is one of ours. */
    public static Optional<String> dirOfPrefix(String egressOutputRoot, String prefix) {
        String root = withSlash(egressOutputRoot);
        if (prefix == null || !prefix.startsWith(root) || !prefix.endsWith("/" + SEGMENT_PREFIX_TEMPLATE)) {
            return Optional.empty();
        }
        String dir = prefix.substring(root.length(), prefix.length() - SEGMENT_PREFIX_TEMPLATE.length() - 1);
        return isDirName(dir) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * The attempt a playlist name egress reported belongs to, if it names one of our playlists in buffer directory
     * {@code dir}. Egress reports the name joined to its storage directory ({@code path.Join(StorageDir,
     * PlaylistFilename)}, {@code pkg/config/output_segment.go}), which for our requests is the prefix's directory:
     * {@code <egress output root>/<dir>/playlist-r{retry}.m3u8}. Both the directory and the file name must be ours.
     */
    public static Optional<PlaylistName> parseReported(String reported, String dir) {
        if (reported == null || !reported.endsWith(M3U8)) {
            return Optional.empty();
        }
        int slash = reported.lastIndexOf('/');
        if (slash < 0 || !reported.startsWith(dir, slash - dir.length())
                || (slash - dir.length() > 0 && reported.charAt(slash - dir.length() - 1) != '/')) {
            return Optional.empty();
        }
        return parsePlaylist(reported.substring(slash + 1));
    }

    /** A playlist file's attempt and kind, or empty for anything that is not exactly one of our playlist names. */
    public static Optional<PlaylistName> parsePlaylist(String fileName) {
        if (!fileName.endsWith(M3U8)) {
            return Optional.empty();
        }
        boolean live = fileName.startsWith(LIVE);
        int from = live ? LIVE.length() : fileName.startsWith(PLAYLIST) ? PLAYLIST.length() : -1;
        int to = fileName.length() - M3U8.length();
        if (from < 0 || !isTag(fileName, from, to)) {
            return Optional.empty();
        }
        return Optional.of(new PlaylistName(new Attempt(fileName.substring(from, to)), live));
    }

    public static boolean isPlaylist(String fileName) {
        return parsePlaylist(fileName).isPresent();
    }

    /**
     * A segment file's attempt and sequence, or empty for anything else: exactly {@code seg-r<tag>_<5-12 digits>.ts}
     * with ASCII digits. Parsed by hand rather than by regular expression because the sweep asks this of every file
     * on the volume, every minute; it also guards the segment URLs, so it accepts nothing looser.
     */
    public static Optional<SegmentName> parseSegment(String fileName) {
        int end = fileName.length() - 3;
        if (!fileName.startsWith(SEGMENT) || !fileName.endsWith(".ts")) {
            return Optional.empty();
        }
        int underscore = fileName.indexOf('_', SEGMENT.length());
        if (underscore < 0 || !isTag(fileName, SEGMENT.length(), underscore)
                || !digits(fileName, underscore + 1, end, 5, 12)) {
            return Optional.empty();
        }
        return Optional.of(new SegmentName(new Attempt(fileName.substring(SEGMENT.length(), underscore)),
                Long.parseLong(fileName, underscore + 1, end, 10)));
    }

    /**
     * A segment name as one URL path element: the braces of a first attempt's names are not allowed in a URL
     * path unescaped (RFC 3986), so they are percent-encoded; JAX-RS decodes them back before {@link #parseSegment}.
     */
    public static String urlPathElement(String fileName) {
        return URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isTag(String text, int from, int to) {
        return text.startsWith(RETRY, from) && to - from == RETRY.length() || digits(text, from, to, 1, 4);
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

    private static String withSlash(String root) {
        return root.endsWith("/") ? root : root + "/";
    }

    /** Which attempt, and which segment of it, a file holds. */
    public record SegmentName(Attempt attempt, long sequence) {
        public String fileName() {
            return attempt.segment(sequence);
        }
    }

    /** A playlist file: its attempt, and whether it is the live (sliding) one or the main EVENT one. */
    public record PlaylistName(Attempt attempt, boolean live) {
    }
}
