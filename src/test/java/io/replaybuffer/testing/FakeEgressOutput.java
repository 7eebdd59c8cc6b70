package io.replaybuffer.testing;

import io.replaybuffer.egress.simulated.SegmentedRecording;
import io.replaybuffer.egress.simulated.TestPatternEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import livekit.LivekitEgress;

/**
 * What one fake egress writes on the volume, attempt by attempt, under the names {@link EgressNaming} derives from
 * the request as egress does, through the same upstream-shaped writer as the simulated egress
 * ({@link SegmentedRecording}: copy first, then list; main playlist uploaded on egress' cadence; live playlist
 * rewritten in place). It also keeps the {@code SegmentsInfo} egress reports about the current attempt.
 */
final class FakeEgressOutput {

    /** Small but real footage: 320x180 at 15 fps, H.264 + AAC. */
    static final TestPatternEncoder.Format TINY = new TestPatternEncoder.Format(320, 180, 15, 300_000, 44_100, 64_000);

    private final LivekitEgress.SegmentedFileOutput requested;
    private final String roomName;
    private final String publisher;
    private final String egressId;
    private int retryCount;
    private EgressNaming naming;
    private SegmentedRecording recording;
    private Instant nextStart;
    private long bytes;
    private long startedAtNanos;

    FakeEgressOutput(LivekitEgress.SegmentedFileOutput requested, String roomName, String publisher, String egressId)
            throws EgressNaming.Refused {
        this.requested = requested;
        this.roomName = roomName;
        this.publisher = publisher;
        this.egressId = egressId;
        this.naming = EgressNaming.of(requested, roomName, publisher, 0, Instant.now());
    }

    EgressNaming naming() {
        return naming;
    }

    int retryCount() {
        return retryCount;
    }

    /** Encodes and lists {@code count} segments, the first ones back-dated so the newest ends now. */
    synchronized List<Path> emit(int count) throws IOException {
        return emit(count, Instant.now());
    }

    /**
     * As {@link #emit(int)}, but when these are the first segments, back-dated so the newest ends at {@code end}:
     * egresses of several players cut their segments at different instants.
     */
    synchronized List<Path> emit(int count, Instant end) throws IOException {
        SegmentedRecording output = recording();
        int seconds = naming.segmentSeconds();
        if (nextStart == null) {
            nextStart = end.minusSeconds((long) seconds * count);
        }
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = output.append(nextStart, seconds);
            bytes += Files.size(file);
            written.add(file);
            nextStart = nextStart.plusSeconds(seconds);
        }
        return written;
    }

    /** Copies in footage encoded elsewhere (ffmpeg, GStreamer), each of {@code seconds}, back-dated to end now. */
    synchronized List<Path> adopt(List<Path> encoded, double seconds) throws IOException {
        SegmentedRecording output = recording();
        Instant start = nextStart != null ? nextStart
                : Instant.now().minusNanos(Math.round(seconds * 1e9 * encoded.size()));
        List<Path> written = new ArrayList<>();
        for (Path file : encoded) {
            Path copy = output.appendCopy(file, start, seconds);
            bytes += Files.size(copy);
            written.add(copy);
            start = start.plusNanos(Math.round(seconds * 1e9));
        }
        nextStart = start;
        return written;
    }

    synchronized Path emitUnlisted() throws IOException {
        return recording().writeUnlisted(naming.segmentSeconds());
    }

    /**
     * Egress retries the recording: the same request again with the retry count raised (livekit/egress #1138), so
     * new names from the template and numbering from 0 again, after {@code gap} without footage.
     */
    synchronized void retry(Duration gap) throws EgressNaming.Refused {
        retryCount++;
        naming = EgressNaming.of(requested, roomName, publisher, retryCount, Instant.now());
        recording = null;
        if (nextStart != null) {
            nextStart = nextStart.plus(gap);
        }
    }

    /** Footage of this output starts {@code gap} after {@code previous}'s ends: a retry under a new egress id. */
    synchronized void continuesAfter(FakeEgressOutput previous, Duration gap) {
        synchronized (previous) {
            nextStart = previous.nextStart == null ? null : previous.nextStart.plus(gap);
        }
    }

    /** The stop sequence's file side: ENDLIST on both playlists, then the manifest unless disabled. */
    synchronized void end() throws IOException {
        recording().end();
    }

    /**
     * {@code segment_results[0]} as egress reports it: the names from the start answer on; counts, size and the
     * playlist's location once segments were uploaded ({@code pkg/pipeline/sink/segments.go}); locations are the
     * local uploader's destination, the storage path under {@code /} ({@code livekit/storage local.go}).
     */
    synchronized LivekitEgress.SegmentsInfo segmentsInfo() {
        LivekitEgress.SegmentsInfo.Builder info = LivekitEgress.SegmentsInfo.newBuilder()
                .setPlaylistName(naming.reportedPlaylist()).setLivePlaylistName(naming.reportedLivePlaylist());
        if (recording != null && recording.segmentsListed() > 0) {
            info.setSegmentCount(recording.segmentsListed()).setSize(bytes).setStartedAt(startedAtNanos)
                    .setPlaylistLocation(location(naming.reportedPlaylist()));
            if (!naming.reportedLivePlaylist().isEmpty()) {
                info.setLivePlaylistLocation(location(naming.reportedLivePlaylist()));
            }
        }
        return info.build();
    }

    private static String location(String storagePath) {
        return storagePath.startsWith("/") ? storagePath : "/" + storagePath;
    }

    private SegmentedRecording recording() throws IOException {
        if (recording == null) {
            Path directory = Path.of(naming.storageDir().isEmpty() ? "/" : naming.storageDir());
            recording = new SegmentedRecording(new SegmentedRecording.Output(directory, naming.segmentPrefix(),
                    naming.playlist(), naming.livePlaylist(), naming.segmentSeconds(), egressId,
                    requested.getDisableManifest()), new TestPatternEncoder(TINY));
            startedAtNanos = Instant.now().getEpochSecond() * 1_000_000_000L + Instant.now().getNano();
        }
        return recording;
    }
}
