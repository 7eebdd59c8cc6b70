package io.replaybuffer.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written segment name parser accepts exactly what the documented pattern does, and nothing looser. */
class SegmentLayoutTest {

    private static final Pattern DOCUMENTED = Pattern.compile("seg-r(\\d{1,4})_(\\d{5,12})\\.ts");

    @ParameterizedTest
    @ValueSource(strings = {"seg-r0_00000.ts", "seg-r12_00042.ts", "seg-r9999_999999999999.ts", "seg-r3_123456.ts"})
    void acceptsSegmentNames(String name) {
        var parsed = SegmentLayout.parseSegment(name);
        var m = DOCUMENTED.matcher(name);
        assertThat(m.matches()).isTrue();
        assertThat(parsed).hasValueSatisfying(s -> {
            assertThat(s.retry()).isEqualTo(Integer.parseInt(m.group(1)));
            assertThat(s.sequence()).isEqualTo(Long.parseLong(m.group(2)));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "seg-r_00000.ts", "seg-r0_0000.ts", "seg-r12345_00000.ts", "seg-r0_0000000000000.ts",
        "seg-r0_00000.ts.part", "seg-r0_00000.tsx", "../seg-r0_00000.ts", "seg-r0_000/0.ts", "seg-r0_0000٠.ts",
        "seg-r-1_00000.ts", "seg-r0__00000.ts", "seg-r0_+0000.ts", "Seg-r0_00000.ts", "seg-r0_00000", "playlist-r0.m3u8",
        "seg-r0_00000.TS", "seg-r0_00000.ts\\n"})
    void rejectsEverythingElse(String name) {
        assertThat(DOCUMENTED.matcher(name).matches()).isFalse();
        assertThat(SegmentLayout.parseSegment(name)).isEmpty();
    }
}
