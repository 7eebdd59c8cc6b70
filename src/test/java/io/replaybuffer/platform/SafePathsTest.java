package io.replaybuffer.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.replaybuffer.platform.storage.SafePaths;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SafePathsTest {

    private final Path root = Path.of("/srv/clips");

    @Test
    void resolvesPlainIdsInsideTheRoot() {
        assertThat(SafePaths.resolve(root, "ab", "0f1e-clip.mp4")).isEqualTo(Path.of("/srv/clips/ab/0f1e-clip.mp4"));
        assertThat(SafePaths.resolveRelative(root, "ab/c.mp4")).isEqualTo(Path.of("/srv/clips/ab/c.mp4"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc", "a/b", "/etc/passwd", ".hidden", "", "a\\b", "x..y", "a\u0000b"})
    void rejectsAnythingThatCouldEscape(String name) {
        assertThatThrownBy(() -> SafePaths.resolve(root, name)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/abs", "a/../../b", "a\\..\\b", "a//b", ""})
    void rejectsUnsafeRelativePaths(String relative) {
        assertThatThrownBy(() -> SafePaths.resolveRelative(root, relative)).isInstanceOf(IllegalArgumentException.class);
    }
}
