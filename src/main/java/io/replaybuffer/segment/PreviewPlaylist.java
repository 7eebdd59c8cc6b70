package io.replaybuffer.segment;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The HLS playlist of what a buffer holds now, for a trim UI's player. Runs are separated by
 * {@code #EXT-X-DISCONTINUITY} (a restart or gap is a timestamp jump for the decoder); every segment carries its
 * wall clock, so a range picked in the player maps straight to capture's {@code startAt}/{@code endAt}.
 */
public final class PreviewPlaylist {

    private PreviewPlaylist() {
    }

    public static String render(Footage footage, Function<Segment, String> url, boolean ended) {
        List<SegmentRun> runs = footage.runs();
        double longest = footage.segments().stream().mapToDouble(Segment::durationSeconds).max().orElse(1);
        Segment first = footage.segments().isEmpty() ? null : footage.segments().get(0);
        // Stable across reloads as old segments drop off the front.
        long mediaSequence = first == null ? 0 : first.attempt().retryCount() * 1_000_000_000L + first.sequence();
        StringBuilder out = new StringBuilder(128 + footage.segments().size() * 200)
                .append("#EXTM3U\n#EXT-X-VERSION:3\n")
                .append("#EXT-X-TARGETDURATION:").append((long) Math.ceil(longest)).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
        for (int r = 0; r < runs.size(); r++) {
            if (r > 0) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            for (Segment segment : runs.get(r).segments()) {
                out.append("#EXT-X-PROGRAM-DATE-TIME:").append(segment.start()).append('\n')
                        .append(String.format(Locale.ROOT, "#EXTINF:%.3f,", segment.durationSeconds())).append('\n')
                        .append(url.apply(segment)).append('\n');
            }
        }
        if (ended) {
            out.append("#EXT-X-ENDLIST\n");
        }
        return out.toString();
    }
}
