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
