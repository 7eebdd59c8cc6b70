package io.replaybuffer.platform.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.replaybuffer.platform.config.ReplayConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 5: the service refuses to start when the clips folder and the segments folder are the same or one
 * lies inside the other, however it is spelled (relative, with "..", through a link). Runs StorageRoots' own start-up
 * (construction, then creating the roots) on real folders, with the configuration mapping the service reads.
 */
class StorageRootsTest {

    @TempDir
    Path dir;

    /** StorageRoots as the service starts it, for these two settings. */
    private static StorageRoots start(String segments, String clips) {
        ReplayConfig config = new SmallRyeConfigBuilder()
                .withConverter(Path.class, 100, Path::of)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(ReplayConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("replay.segments-path", segments,
                        "replay.clips-path", clips), "test", 500))
                .build().getConfigMapping(ReplayConfig.class);
        StorageRoots roots = new StorageRoots(config);
        roots.createIfMissing();
        return roots;
    }

    @Test
    void clipsInsideSegmentsIsRefused() {
        assertThatThrownBy(() -> start(dir.resolve("segments").toString(), dir.resolve("segments/clips").toString()))
                .isInstanceOf(OverlappingStorageRootsException.class)
                .hasMessageContaining("REPLAY_CLIPS_PATH").hasMessageContaining("clips folder is inside the segments folder");
    }

    @Test
    void segmentsInsideClipsIsRefused() {
        assertThatThrownBy(() -> start(dir.resolve("clips/segments").toString(), dir.resolve("clips").toString()))
                .isInstanceOf(OverlappingStorageRootsException.class)
                .hasMessageContaining("segments folder is inside the clips folder");
    }

    @Test
    void theSameFolderIsRefusedHoweverItIsSpelled() {
        assertThatThrownBy(() -> start(dir.resolve("data").toString(), dir.resolve("data/x/../.").toString()))
                .isInstanceOf(OverlappingStorageRootsException.class).hasMessageContaining("are the same folder");
    }

    @Test
    void aLinkThatPutsClipsInsideSegmentsIsRefused() throws Exception {
        Path segments = Files.createDirectories(dir.resolve("segments"));
        Path inside = Files.createDirectories(segments.resolve("clips"));
        Path link = Files.createSymbolicLink(dir.resolve("clips-link"), inside); // distinct names, one folder tree
        assertThatThrownBy(() -> start(segments.toString(), link.toString()))
                .isInstanceOf(OverlappingStorageRootsException.class);
    }

    @Test
    void siblingsAreFineEvenWithACommonPrefix() {
        StorageRoots roots = start(dir.resolve("seg").toString(), dir.resolve("segments").toString());
        assertThat(roots.segments()).isDirectory();
        assertThat(roots.clips()).isDirectory();
        assertThatCode(() -> start(dir.resolve("a/segments").toString(), dir.resolve("b/clips").toString()))
                .doesNotThrowAnyException();
    }
}
