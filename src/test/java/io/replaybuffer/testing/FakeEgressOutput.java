package io.replaybuffer.testing;

import io.replaybuffer.egress.simulated.SegmentedRecording;
import io.replaybuffer.egress.simulated.TestPatternEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What one fake egress writes into its buffer directory: real segments and playlists, attempt by attempt. */
final class FakeEgressOutput {

    /** Small but real footage: 320x180 at 15 fps, H.264 + AAC. */
    static final TestPatternEncoder.Format TINY = new TestPatternEncoder.Format(320, 180, 15, 300_000, 44_100, 64_000);

    private final Path directory;
    private int retry;
    private SegmentedRecording recording;
    private Instant nextStart;

    FakeEgressOutput(Path directory) {
        this.directory = directory;
    }

    List<Path> emit(int count, int seconds) throws IOException {
        SegmentedRecording output = recording();
        if (nextStart == null) {
            nextStart = Instant.now().minusSeconds((long) seconds * count);
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            written.add(output.append(nextStart, seconds));
            nextStart = nextStart.plusSeconds(seconds);
        }
        return written;
    }

    void adopt(List<Path> encoded, int seconds) throws IOException {
        SegmentedRecording output = recording();
        Instant start = Instant.now().minusSeconds((long) seconds * encoded.size());
        for (Path file : encoded) {
            output.appendCopy(file, start, seconds);
            start = start.plusSeconds(seconds);
        }
        nextStart = start;
    }

    Path emitUnlisted(int seconds) throws IOException {
        return recording().writeUnlisted(seconds);
    }

    /** A new attempt after {@code gap}; returns its retry number. */
    int restart(Duration gap) {
        retry++;
        recording = null;
        if (nextStart != null) {
            nextStart = nextStart.plus(gap);
        }
        return retry;
    }

    private SegmentedRecording recording() throws IOException {
        if (recording == null) {
            recording = new SegmentedRecording(directory, retry, new TestPatternEncoder(TINY));
        }
        return recording;
    }
}
