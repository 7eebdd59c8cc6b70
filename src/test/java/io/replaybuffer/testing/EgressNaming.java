package io.replaybuffer.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import livekit.LivekitEgress;

/**
 * How LiveKit egress turns a {@code SegmentedFileOutput} into names on disk, reproduced from its source (livekit/egress
 * at e948d1e, 2026-08-21) for the fake. It shares nothing with the service's own {@code SegmentLayout}: the fake must
 * write what egress writes, not what the service expects.
 *
 * <ul>
 * <li>{@code clean} ({@code pkg/config/output_file.go}): {@code path.Clean}, leading {@code ../} stripped, a trailing
 * slash kept.</li>
 * <li>{@code getFilenameInfo} ({@code output_file.go}): {@code {retry}} is replaced only when the retry count is
 * above 0; {@code {room_name}}, {@code {room_id}}, {@code {time}} and {@code {utc}} always (with a room).
 * {@code UpdateInfoFromSDK} ({@code pkg/config/pipeline.go}) adds {@code {publisher_identity}} for track
 * composite.</li>
 * <li>{@code getSegmentConfig} ({@code pkg/config/output_segment.go}): on a retry, a prefix without {@code {retry}}
 * is {@code ErrNonRetryableOutput}; the segment duration defaults to 4.</li>
 * <li>{@code updatePrefixAndPlaylist} ({@code output_segment.go}): split into directory and name; the extension
 * (any, a quirk of {@code removeKnownExtension}) is removed from the playlist names; a prefix directory equal to the
 * playlist's is dropped, and becomes the playlist's when that has none; {@code StorageDir} is the playlist directory;
 * the reported {@code playlist_name} is {@code path.Join(StorageDir, PlaylistFilename)}.</li>
 * </ul>
 */
record EgressNaming(String storageDir, String segmentPrefix, String playlist, String livePlaylist,
        int segmentSeconds, String reportedPlaylist, String reportedLivePlaylist) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** Why egress refused the output (a Twirp error the fake answers with). */
    static final class Refused extends Exception {
        final String code;

        Refused(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    static EgressNaming of(LivekitEgress.SegmentedFileOutput output, String roomName, String publisher, int retryCount,
            Instant now) throws Refused {
        String prefix = clean(output.getFilenamePrefix());
        String playlist = clean(output.getPlaylistName());
        if (retryCount > 0 && (!prefix.isEmpty() && !prefix.contains("{retry}")
                || prefix.isEmpty() && !playlist.isEmpty() && !playlist.contains("{retry}"))) {
            throw new Refused("failed_precondition", "output configuration does not support retry");
        }
        Map<String, String> replacements = new LinkedHashMap<>();
        if (retryCount > 0) {
            replacements.put("{retry}", Integer.toString(retryCount));
        }
        replacements.put("{room_name}", roomName);
        replacements.put("{room_id}", "");
        replacements.put("{time}", TIME.format(now.atZone(ZoneOffset.UTC)));
        replacements.put("{utc}", UTC.format(now.atZone(ZoneOffset.UTC)) + String.format("%03d", now.toEpochMilli() % 1000));
        replacements.put("{publisher_identity}", publisher);
        prefix = replace(prefix, replacements);
        playlist = replace(playlist, replacements);
        String live = replace(clean(output.getLivePlaylistName()), replacements);

        String[] playlistParts = split(playlist);
        String[] liveParts = split(live);
        String[] segmentParts = split(prefix);
        String playlistDir = playlistParts[0];
        if (!liveParts[0].isEmpty() && !liveParts[0].equals(playlistDir)) {
            throw new Refused("invalid_argument", "live_playlist_name must be in same directory as playlist_name");
        }
        String playlistName = removeExtension(playlistParts[1]);
        String liveName = removeExtension(liveParts[1]);
        String segmentDir = segmentParts[0];
        String segmentPrefix = segmentParts[1];
        if (!segmentDir.isEmpty()) {
            if (playlistDir.equals(segmentDir)) {
                segmentDir = "";
            } else if (playlistDir.isEmpty()) {
                playlistDir = segmentDir;
                segmentDir = "";
            }
        }
        if (playlistName.isEmpty()) {
            playlistName = !segmentPrefix.isEmpty() ? segmentPrefix
                    : roomName + "-" + TIME.format(now.atZone(ZoneOffset.UTC)) + (retryCount > 0 ? "-" + retryCount : "");
        }
        if (segmentPrefix.isEmpty()) {
            segmentPrefix = playlistName;
        }
        String playlistFile = playlistName + ".m3u8";
        String liveFile = liveName.isEmpty() ? null : liveName + ".m3u8";
        if (playlistFile.equals(liveFile)) {
            throw new Refused("invalid_argument", "live_playlist_name cannot be identical to playlist_name");
        }
        int seconds = output.getSegmentDuration() > 0 ? output.getSegmentDuration() : 4;
        return new EgressNaming(playlistDir, segmentDir + segmentPrefix, playlistFile, liveFile, seconds,
                join(playlistDir, playlistFile), liveFile == null ? "" : join(playlistDir, liveFile));
    }

    /** {@code clean} of output_file.go. */
    static String clean(String path) {
        if (path.isEmpty()) {
            return "";
        }
        boolean endingSlash = path.endsWith("/");
        String cleaned = java.nio.file.Path.of(path).normalize().toString();
        while (cleaned.startsWith("../")) {
            cleaned = cleaned.substring(3);
        }
        if (cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..")) {
            return "";
        }
        return endingSlash ? cleaned + "/" : cleaned;
    }

    private static String replace(String text, Map<String, String> replacements) {
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        return text;
    }

    /** Go's {@code path.Split}: everything up to and including the last slash, and the rest. */
    private static String[] split(String path) {
        int slash = path.lastIndexOf('/');
        return new String[] {path.substring(0, slash + 1), path.substring(slash + 1)};
    }

    /** {@code removeKnownExtension}: cuts at the last dot whatever the extension is (upstream's quirk). */
    private static String removeExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Go's {@code path.Join} for a directory (possibly empty, possibly ending in a slash) and a file name. */
    private static String join(String dir, String file) {
        if (dir.isEmpty()) {
            return file;
        }
        return clean(dir.endsWith("/") ? dir + file : dir + "/" + file);
    }
}
