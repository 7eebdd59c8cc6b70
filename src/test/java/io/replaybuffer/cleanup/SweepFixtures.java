package io.replaybuffer.cleanup;

import io.replaybuffer.segment.HlsPlaylist;
import io.replaybuffer.segment.PlaylistWriter;
import io.replaybuffer.segment.SegmentLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Buffer directories as egress leaves them, for sweep tests and the sweep benchmark: segment files (small, the sweep
 * never reads them), main and live playlists with wall-clock times, and file times to match.
 */
final class SweepFixtures {

    private SweepFixtures() {
    }

    /** Writes {@code count} segments of {@code seconds} from {@code start} into {@code root/dir}. */
    static Path buffer(Path root, String dir, Instant start, int count, int seconds, int bytesEach) throws IOException {
        Path directory = Files.createDirectories(root.resolve(dir));
        List<HlsPlaylist.Entry> entries = new ArrayList<>(count);
        byte[] payload = new byte[bytesEach];
        for (int i = 0; i < count; i++) {
            String name = SegmentLayout.Attempt.FIRST.segment(i);
            Path file = directory.resolve(name);
            Files.write(file, payload);
            Instant segmentStart = start.plusSeconds((long) i * seconds);
            Files.setLastModifiedTime(file, FileTime.from(segmentStart.plusSeconds(seconds)));
            entries.add(new HlsPlaylist.Entry(name, segmentStart, seconds));
        }
        Files.writeString(directory.resolve(SegmentLayout.Attempt.FIRST.playlist()), PlaylistWriter.render(entries, 0, true, false));
        int from = Math.max(0, count - 5);
        Files.writeString(directory.resolve(SegmentLayout.Attempt.FIRST.livePlaylist()),
                PlaylistWriter.render(entries.subList(from, count), from, false, false));
        return directory;
    }

    static long count(Path directory, String suffix) throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(f -> f.toString().endsWith(suffix)).count();
        }
    }
}
