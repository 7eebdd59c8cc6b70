package io.replaybuffer.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The hand-written name parsers accept exactly what the documented patterns do, and nothing looser: a first attempt's
 * literal {@code {retry}} (egress replaces it only on a retry), a retry's number, and the legacy {@code 0}.
 */
class SegmentLayoutTest {

    private static final Pattern DOCUMENTED = Pattern.compile("seg-r(\\{retry\\}|\\d{1,4})_(\\d{5,12})\\.ts");

    @ParameterizedTest
    @ValueSource(strings = {"seg-r{retry}_00000.ts", "seg-r{retry}_123456.ts", "seg-r0_00000.ts", "seg-r12_00042.ts",
        "seg-r9999_999999999999.ts", "seg-r3_123456.ts"})
    void acceptsSegmentNames(String name) {
        var parsed = SegmentLayout.parseSegment(name);
        var m = DOCUMENTED.matcher(name);
        assertThat(m.matches()).isTrue();
        assertThat(parsed).hasValueSatisfying(s -> {
            assertThat(s.attempt().tag()).isEqualTo(m.group(1));
            assertThat(s.sequence()).isEqualTo(Long.parseLong(m.group(2)));
            assertThat(s.fileName()).isEqualTo(name.replaceFirst("_0*(\\d{5,})", "_$1"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seg-r_00000.ts", "seg-r0_0000.ts", "seg-r12345_00000.ts", "seg-r0_0000000000000.ts",
        "seg-r0_00000.ts.part", "seg-r0_00000.tsx", "../seg-r0_00000.ts", "seg-r0_000/0.ts", "seg-r0_0000٠.ts",
        "seg-r-1_00000.ts", "seg-r0__00000.ts", "seg-r0_+0000.ts", "Seg-r0_00000.ts", "seg-r0_00000", "playlist-r0.m3u8",
        "seg-r0_00000.TS", "seg-r0_00000.ts\\n", "seg-r{retry_00000.ts", "seg-r{RETRY}_00000.ts", "seg-r{retry}}_00000.ts",
        "seg-r{}_00000.ts", "seg-r{retry}1_00000.ts", "seg-r%7Bretry%7D_00000.ts", "seg-r{retry}_{retry}.ts"})
    void rejectsEverythingElse(String name) {
        assertThat(DOCUMENTED.matcher(name).matches()).isFalse();
        assertThat(SegmentLayout.parseSegment(name)).isEmpty();
    }

    @Test
    void aFirstAttemptKeepsTheBracesAndARetryWritesItsNumber() {
        assertThat(SegmentLayout.Attempt.ofRetryCount(0)).isEqualTo(SegmentLayout.Attempt.FIRST);
        assertThat(SegmentLayout.Attempt.FIRST.segment(7)).isEqualTo("seg-r{retry}_00007.ts");
        assertThat(SegmentLayout.Attempt.FIRST.playlist()).isEqualTo("playlist-r{retry}.m3u8");
        assertThat(SegmentLayout.Attempt.ofRetryCount(2).livePlaylist()).isEqualTo("live-r2.m3u8");
        assertThat(SegmentLayout.Attempt.ofRetryCount(2).segment(123456)).isEqualTo("seg-r2_123456.ts");
        assertThat(SegmentLayout.parsePlaylist("live-r{retry}.m3u8")).hasValueSatisfying(p -> {
            assertThat(p.live()).isTrue();
            assertThat(p.attempt()).isEqualTo(SegmentLayout.Attempt.FIRST);
        });
        assertThat(SegmentLayout.parsePlaylist("playlist-r{retry}.m3u8.tmp")).isEmpty();
        assertThat(SegmentLayout.parsePlaylist("playlist-r.m3u8")).isEmpty();
    }

    @Test
    void reportedNamesMustBeInTheBuffersOwnFolder() {
        String dir = "0f5b9a7e-4a1c-4d55-9a55-4f1b2b7f0c11";
        assertThat(SegmentLayout.parseReported("/out/" + dir + "/playlist-r{retry}.m3u8", dir))
                .hasValueSatisfying(p -> assertThat(p.attempt()).isEqualTo(SegmentLayout.Attempt.FIRST));
        assertThat(SegmentLayout.parseReported("/out/" + dir + "/playlist-r3.m3u8", dir))
                .hasValueSatisfying(p -> assertThat(p.attempt().retryCount()).isEqualTo(3));
        assertThat(SegmentLayout.parseReported("/out/x" + dir + "/playlist-r{retry}.m3u8", dir)).isEmpty();
        assertThat(SegmentLayout.parseReported("/out/other/playlist-r{retry}.m3u8", dir)).isEmpty();
        assertThat(SegmentLayout.parseReported("playlist-r{retry}.m3u8", dir)).isEmpty();
        assertThat(SegmentLayout.parseReported("/out/" + dir + "/other.m3u8", dir)).isEmpty();
        assertThat(SegmentLayout.parseReported(null, dir)).isEmpty();
    }

    @Test
    void bracesArePercentEncodedInUrls() {
        assertThat(SegmentLayout.urlPathElement("seg-r{retry}_00000.ts")).isEqualTo("seg-r%7Bretry%7D_00000.ts");
        assertThat(SegmentLayout.urlPathElement("seg-r1_00000.ts")).isEqualTo("seg-r1_00000.ts");
    }
}
