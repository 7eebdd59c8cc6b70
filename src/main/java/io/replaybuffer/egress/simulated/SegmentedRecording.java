package io.replaybuffer.egress.simulated;

import io.replaybuffer.segment.HlsPlaylist;
import io.replaybuffer.segment.PlaylistWriter;
import io.replaybuffer.segment.SegmentLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One egress attempt's HLS output, written into the shared volume the way livekit/egress writes it with local
 * storage. The simulated egress records through it, and the test fake of LiveKit too, so the run command and the
 * suite exercise what a real egress leaves on the volume. Each behaviour names its upstream source:
 *
 * <ul>
 * <li>Names: {@code <prefix>_%05d.ts} from 0 ({@code pkg/pipeline/builder/segment.go}, INDEX suffix); the prefix,
 * playlist and live playlist carry the attempt's tag ({@link SegmentLayout}).</li>
 * <li>A segment is copied to the volume first, by a truncating, non-atomic copy ({@code livekit/storage local.go}
 * {@code UploadFile}: {@code os.Create} + {@code io.Copy}); only when the copy is done is it appended to the playlist
 * ({@code pkg/pipeline/sink/segments.go} {@code handlePlaylistUpdates} waits for {@code uploadComplete}).</li>
 * <li>The EVENT playlist is appended to locally and uploaded, again by truncating copy, only when
 * {@code shouldUploadPlaylist}: the first time, every N-th segment with N = hours since start + 1, or when the
 * last upload is over a minute old. After the first hour the volume's copy lags ({@code segments.go}).</li>
 * <li>The live playlist keeps the last 5 segments ({@code defaultLivePlaylistWindow}), is rewritten with
 * {@code os.Create} after every segment, and uploaded after every segment ({@code m3u8/writer.go}).</li>
 * <li>Text: {@link PlaylistWriter}; the target duration is the configured segment duration.</li>
 * <li>On close: {@code #EXT-X-ENDLIST} appended and the playlist uploaded, then the live playlist rewritten with it;
 * then the manifest {@code <egress id>.json} beside them unless {@code disable_manifest}
 * ({@code pkg/pipeline/controller.go} {@code uploadManifest}).</li>
 * </ul>
 *
 * Program-date-times are the caller's: egress stamps the first segment with the wall clock and every later one
 * with that plus the pipeline's running time, so a continuous recording's times continue each other exactly.
 */
public final class SegmentedRecording {

    static final int LIVE_WINDOW = 5;
    private static final Duration UPLOAD_AT_LEAST_EVERY = Duration.ofMinutes(1);

    /**
     * Where and how one attempt writes: the storage directory and the names after egress' template replacement
     * ({@code livePlaylist} null when none was asked for).
     */
    public record Output(Path directory, String segmentPrefix, String playlist, String livePlaylist,
            int segmentSeconds, String egressId, boolean disableManifest) {

        /** Our own request's names for an attempt (what the simulated egress writes). */
        public static Output of(Path directory, SegmentLayout.Attempt attempt, int segmentSeconds, String egressId) {
            return new Output(directory, SegmentLayout.SEGMENT_PREFIX_TEMPLATE.replace(SegmentLayout.RETRY,
                    attempt.tag()), attempt.playlist(), attempt.livePlaylist(), segmentSeconds, egressId, true);
        }

        /** {@code fmt.Sprintf("%s_%05d.ts", o.SegmentPrefix, fragmentId)} ({@code builder/segment.go}). */
        String segment(long sequence) {
            return String.format(java.util.Locale.ROOT, "%s_%05d.ts", segmentPrefix, sequence);
        }
    }

    /** Writes one segment's bytes to a file on the volume. */
    @FunctionalInterface
    public interface SegmentContent {
        void writeTo(Path file) throws IOException;

        /** A segment encoded elsewhere, copied in. */
        static SegmentContent copyOf(Path encoded) {
            return file -> {
                try (OutputStream out = Files.newOutputStream(file)) {
                    Files.copy(encoded, out);
                }
            };
        }
    }

    private final Output output;
    private final TestPatternEncoder encoder;
    private final StringBuilder eventPlaylist = new StringBuilder();
    private final ArrayDeque<HlsPlaylist.Entry> liveWindow = new ArrayDeque<>();
    private final List<HlsPlaylist.Entry> entries = new ArrayList<>();
    private long liveMediaSequence;
    private long nextSequence;
    private long nextFrame;
    private Instant startTime;
    private Instant lastUpload;

    public SegmentedRecording(Output output, TestPatternEncoder encoder) throws IOException {
        this.output = output;
        this.encoder = encoder;
        Files.createDirectories(output.directory());
        // NewEventPlaylistWriter writes the header at once, locally; the volume sees it with the first upload.
        eventPlaylist.append(PlaylistWriter.render(List.of(), 0, true, false, output.segmentSeconds()));
    }

    /** The same attempt layout with our defaults (no manifest), for tests that only care about footage. */
    public SegmentedRecording(Path directory, SegmentLayout.Attempt attempt, TestPatternEncoder encoder)
            throws IOException {
        this(Output.of(directory, attempt, 10, "EG_test"), encoder);
    }

    /** Encodes the next segment, covering {@code seconds} of wall clock from {@code start}, then lists it. */
    public synchronized Path append(Instant start, double seconds) throws IOException {
        Path file = writeUnlisted(seconds);
        list(file.getFileName().toString(), start, seconds);
        return file;
    }

    /** Adds a segment encoded elsewhere (copied in under the next name) and lists it. */
    public synchronized Path appendCopy(Path encoded, Instant start, double seconds) throws IOException {
        Path file = output.directory().resolve(output.segment(nextSequence++));
        SegmentContent.copyOf(encoded).writeTo(file);
        list(file.getFileName().toString(), start, seconds);
        return file;
    }

    /** Writes the next segment file without listing it: a segment whose copy is still running, as a reader sees. */
    public synchronized Path writeUnlisted(double seconds) throws IOException {
        Path file = output.directory().resolve(output.segment(nextSequence++));
        encoder.writeSegment(file, seconds, nextFrame);
        nextFrame += encoder.format().framesIn(seconds);
        return file;
    }

    /** Appends a copied segment to the playlists: what egress does once the segment's upload completed. */
    public synchronized void list(String fileName, Instant start, double seconds) throws IOException {
        if (startTime == null) {
            startTime = start;
        }
        HlsPlaylist.Entry entry = new HlsPlaylist.Entry(fileName, start, seconds);
        entries.add(entry);
        PlaylistWriter.appendEntry(eventPlaylist, entry);
        Instant now = start.plusNanos(Math.round(seconds * 1e9)); // the segment closes when its footage has arrived
        if (shouldUploadPlaylist(now)) {
            upload(output.playlist(), eventPlaylist.toString());
            lastUpload = now;
        }
        liveWindow.addLast(entry);
        while (liveWindow.size() > LIVE_WINDOW) {
            liveWindow.removeFirst();
            liveMediaSequence++;
        }
        if (output.livePlaylist() != null) {
            writeLive(false);
        }
    }

    /** {@code shouldUploadPlaylist} ({@code segments.go}); the segment count includes the one just appended. */
    private boolean shouldUploadPlaylist(Instant now) {
        long hours = Duration.between(startTime, now).toHours();
        return lastUpload == null || entries.size() % (hours + 1) == 0
                || Duration.between(lastUpload, now).compareTo(UPLOAD_AT_LEAST_EVERY) > 0;
    }

    /** Ends the attempt as egress' {@code SegmentSink.Close} and controller do on a clean stop. */
    public synchronized void end() throws IOException {
        eventPlaylist.append("#EXT-X-ENDLIST\n");
        upload(output.playlist(), eventPlaylist.toString());
        if (!entries.isEmpty() && output.livePlaylist() != null) {
            writeLive(true);
        }
        if (!output.disableManifest()) {
            upload(output.egressId() + ".json", "{\"egress_id\":\"" + output.egressId() + "\",\"playlists\":[\""
                    + output.playlist() + "\"],\"segment_count\":" + entries.size() + "}\n");
        }
    }

    public synchronized long segmentsWritten() {
        return nextSequence;
    }

    /** The segments listed so far (what {@code segment_results.segment_count} reports). */
    public synchronized int segmentsListed() {
        return entries.size();
    }

    private void writeLive(boolean ended) throws IOException {
        upload(output.livePlaylist(), PlaylistWriter.render(List.copyOf(liveWindow), liveMediaSequence,
                false, ended, output.segmentSeconds()));
    }

    /** Local storage's upload: create (truncating) and copy, in place; a reader may catch it half-written. */
    private void upload(String name, String text) throws IOException {
        Files.writeString(output.directory().resolve(name), text, StandardCharsets.UTF_8);
    }
}
