package io.replaybuffer.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written time reading and writing agree with java.time on egress' format, and round-trip. */
class PlaylistFormatTest {

    @Test
    void fastTimeParsingAgreesWithJavaTime() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochMilli(random.nextLong(0, 4_102_444_800_000L));
            StringBuilder text = new StringBuilder();
            PlaylistWriter.appendTime(text, instant);
            assertThat(HlsPlaylist.parseUtcMillis(text.toString())).isEqualTo(instant);
            assertThat(OffsetDateTime.parse(text).toInstant()).isEqualTo(instant);
            String offsetForm = text.substring(0, text.length() - 1) + "+00:00";
            assertThat(HlsPlaylist.parseUtcMillis(offsetForm)).isEqualTo(instant);
        }
        assertThat(HlsPlaylist.parseUtcMillis("2026-11-21T10:00:00.000+02:00")).isNull(); // left to java.time
        assertThat(HlsPlaylist.parseUtcMillis("2026-13-21T10:00:00.000Z")).isNull();
        assertThat(HlsPlaylist.parseUtcMillis("2026-02-31T10:00:00Z")).isNull();
        assertThat(HlsPlaylist.parseUtcMillis("2026-11-21T10:00:00.Z")).isNull();
        // Go's layout drops the fraction's trailing zeros, and the dot on a whole second.
        assertThat(HlsPlaylist.parseUtcMillis("2026-11-21T14:19:08.17Z")).isEqualTo(Instant.parse("2026-11-21T14:19:08.170Z"));
        assertThat(HlsPlaylist.parseUtcMillis("2026-11-21T14:19:09Z")).isEqualTo(Instant.parse("2026-11-21T14:19:09Z"));
    }

    /**
     * The text egress' own writer test expects ({@code livekit/egress pkg/pipeline/sink/m3u8/writer_test.go}
     * {@code TestEventPlaylistWriter}: three 5.994 s segments from 1683154504814142000 ns, target duration 6), and
     * the live playlist of its {@code TestLivePlaylistWriter} after two appends.
     */
    @Test
    void writesWhatEgressWrites() {
        Instant now = Instant.ofEpochSecond(0, 1683154504814142000L);
        List<HlsPlaylist.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(new HlsPlaylist.Entry("playlist_0000" + i + ".ts", now, 5.994));
            now = now.plusMillis(5994);
        }
        assertThat(PlaylistWriter.render(entries, 0, true, true, 6)).isEqualTo("#EXTM3U\n#EXT-X-VERSION:4\n"
                + "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-ALLOW-CACHE:NO\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + "#EXT-X-PROGRAM-DATE-TIME:2023-05-03T22:55:04.814Z\n#EXTINF:5.994,\nplaylist_00000.ts\n"
                + "#EXT-X-PROGRAM-DATE-TIME:2023-05-03T22:55:10.808Z\n#EXTINF:5.994,\nplaylist_00001.ts\n"
                + "#EXT-X-PROGRAM-DATE-TIME:2023-05-03T22:55:16.802Z\n#EXTINF:5.994,\nplaylist_00002.ts\n"
                + "#EXT-X-ENDLIST\n");
        assertThat(PlaylistWriter.render(entries.subList(0, 2), 0, false, false, 6)).isEqualTo("#EXTM3U\n"
                + "#EXT-X-VERSION:4\n#EXT-X-ALLOW-CACHE:NO\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n"
                + "#EXT-X-PROGRAM-DATE-TIME:2023-05-03T22:55:04.814Z\n#EXTINF:5.994,\nplaylist_00000.ts\n"
                + "#EXT-X-PROGRAM-DATE-TIME:2023-05-03T22:55:10.808Z\n#EXTINF:5.994,\nplaylist_00001.ts\n");
        StringBuilder whole = new StringBuilder();
        PlaylistWriter.appendTime(whole, Instant.parse("2026-11-21T14:19:09Z"));
        PlaylistWriter.appendTime(whole.append(' '), Instant.parse("2026-11-21T14:19:08.170Z"));
        assertThat(whole.toString()).isEqualTo("2026-11-21T14:19:09Z 2026-11-21T14:19:08.17Z");
        assertThat(HlsPlaylist.parse(PlaylistWriter.render(entries, 0, true, true, 6)).entries()).isEqualTo(
                entries.stream().map(e -> new HlsPlaylist.Entry(e.uri(),
                        Instant.ofEpochMilli(e.programDateTime().toEpochMilli()), e.durationSeconds())).toList());
    }

    @Test
    void cuttingAsTextEqualsParsingAndRendering() {
        java.util.List<HlsPlaylist.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(new HlsPlaylist.Entry(SegmentLayout.Attempt.FIRST.segment(i),
                    Instant.parse("2026-11-21T10:00:00Z").plusSeconds(10L * i), 10));
        }
        String text = PlaylistWriter.render(entries, 0, true, false);
        for (int keep : new int[] {1, 7, 19}) {
            String cut = PlaylistTrimmer.cutBefore(text, SegmentLayout.Attempt.FIRST.segment(keep), keep);
            assertThat(cut).isEqualTo(PlaylistWriter.render(entries.subList(keep, 20), keep, true, false));
        }
        assertThat(PlaylistTrimmer.cutBefore(text, SegmentLayout.Attempt.FIRST.segment(0), 0)).isEqualTo(text);
        assertThat(PlaylistTrimmer.cutBefore(text, "seg-r{retry}_99999.ts", 99_999)).isNull(); // not listed: parse instead
        assertThat(PlaylistTrimmer.cutBefore(text.replace("#EXTINF:10.000,\nseg-r{retry}_00003.ts",
                "#EXT-X-DISCONTINUITY\n#EXTINF:10.000,\nseg-r{retry}_00003.ts"), "seg-r{retry}_00005.ts", 5)).isNull();
    }

    @Test
    void renderedPlaylistsParseBackToTheSameEntries() {
        List<HlsPlaylist.Entry> entries = List.of(
                new HlsPlaylist.Entry("seg-r0_00000.ts", Instant.parse("2026-11-21T10:00:00.005Z"), 10.0),
                new HlsPlaylist.Entry("seg-r0_00001.ts", Instant.parse("2026-11-21T10:00:10.005Z"), 9.967));
        String text = PlaylistWriter.render(entries, 0, true, true);
        assertThat(text).contains("#EXTINF:10.000,\n", "#EXTINF:9.967,\n", "2026-11-21T10:00:10.005Z");
        HlsPlaylist parsed = HlsPlaylist.parse(text);
        assertThat(parsed.entries()).isEqualTo(entries);
        assertThat(parsed.ended()).isTrue();
        assertThat(HlsPlaylist.parse("#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:2026-11-21T10:00:00+01:00\n#EXTINF:4,\nx.ts\n")
                .entries().get(0).programDateTime()).isEqualTo(Instant.parse("2026-11-21T09:00:00Z"));
    }
}
