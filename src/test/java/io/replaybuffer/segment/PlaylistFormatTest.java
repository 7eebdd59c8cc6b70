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
            String offsetForm = text.substring(0, 23) + "+00:00";
            assertThat(HlsPlaylist.parseUtcMillis(offsetForm)).isEqualTo(instant);
        }
        assertThat(HlsPlaylist.parseUtcMillis("2026-11-21T10:00:00.000+02:00")).isNull(); // left to java.time
        assertThat(HlsPlaylist.parseUtcMillis("2026-13-21T10:00:00.000Z")).isNull();
    }

    @Test
    void cuttingAsTextEqualsParsingAndRendering() {
        java.util.List<HlsPlaylist.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(new HlsPlaylist.Entry(SegmentLayout.segmentName(0, i),
                    Instant.parse("2026-11-21T10:00:00Z").plusSeconds(10L * i), 10));
        }
        String text = PlaylistWriter.render(entries, 0, true, false);
        for (int keep : new int[] {1, 7, 19}) {
            String cut = PlaylistTrimmer.cutBefore(text, SegmentLayout.segmentName(0, keep), keep);
            assertThat(cut).isEqualTo(PlaylistWriter.render(entries.subList(keep, 20), keep, true, false));
        }
        assertThat(PlaylistTrimmer.cutBefore(text, SegmentLayout.segmentName(0, 0), 0)).isEqualTo(text);
        assertThat(PlaylistTrimmer.cutBefore(text, "seg-r0_99999.ts", 99_999)).isNull(); // not listed: parse instead
        assertThat(PlaylistTrimmer.cutBefore(text.replace("#EXTINF:10.000,\nseg-r0_00003.ts",
                "#EXT-X-DISCONTINUITY\n#EXTINF:10.000,\nseg-r0_00003.ts"), "seg-r0_00005.ts", 5)).isNull();
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
