package io.replaybuffer.egress.simulated;

import io.replaybuffer.segment.HlsPlaylist;
import io.replaybuffer.segment.PlaylistWriter;
import io.replaybuffer.segment.SegmentLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One egress attempt's output written the way LiveKit egress writes it: the {@code .ts} lands first, not atomically,
 * and only then is it added to the playlists; the live playlist (last five segments) is truncated and rewritten in
 * place. Used by the simulated egress and, in tests, by the fake LiveKit.
 */
public final class SegmentedRecording {

    static final int LIVE_WINDOW = 5;

    private final Path directory;
    private final int retry;
    private final TestPatternEncoder encoder;
    private final List<HlsPlaylist.Entry> entries = new ArrayList<>();
    private long nextSequence;
    private long nextFrame;

    public SegmentedRecording(Path directory, int retry, TestPatternEncoder encoder) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.retry = retry;
        this.encoder = encoder;
    }

    /** Encodes the next segment, covering {@code seconds} of wall clock from {@code start}, then lists it. */
    public synchronized Path append(Instant start, double seconds) throws IOException {
        Path file = writeUnlisted(seconds);
        list(file.getFileName().toString(), start, seconds);
        return file;
    }

    /** Adds an already encoded segment (copied in under the next name) and lists it: footage made elsewhere. */
    public synchronized Path appendCopy(Path encoded, Instant start, double seconds) throws IOException {
        Path file = directory.resolve(SegmentLayout.segmentName(retry, nextSequence++));
        Files.copy(encoded, file);
        list(file.getFileName().toString(), start, seconds);
        return file;
    }

    /** Writes the next segment file without listing it: a segment still being copied, as a reader may see it. */
    public synchronized Path writeUnlisted(double seconds) throws IOException {
        Path file = directory.resolve(SegmentLayout.segmentName(retry, nextSequence++));
        encoder.writeSegment(file, seconds, nextFrame);
        nextFrame += encoder.format().framesIn(seconds);
        return file;
    }

    /** Adds an already written segment to the playlists. */
    public synchronized void list(String fileName, Instant start, double seconds) throws IOException {
        entries.add(new HlsPlaylist.Entry(fileName, start, seconds));
        writePlaylists(false);
    }

    /** Closes both playlists with {@code #EXT-X-ENDLIST}, as egress does when it ends. */
    public synchronized void end() throws IOException {
        writePlaylists(true);
    }

    public synchronized long segmentsWritten() {
        return nextSequence;
    }

    private void writePlaylists(boolean ended) throws IOException {
        int liveFrom = Math.max(0, entries.size() - LIVE_WINDOW);
        PlaylistWriter.writeInPlace(directory.resolve(SegmentLayout.livePlaylistName(retry)),
                PlaylistWriter.render(entries.subList(liveFrom, entries.size()), liveFrom, false, ended));
        PlaylistWriter.writeInPlace(directory.resolve(SegmentLayout.playlistName(retry)),
                PlaylistWriter.render(entries, 0, true, ended));
    }
}
