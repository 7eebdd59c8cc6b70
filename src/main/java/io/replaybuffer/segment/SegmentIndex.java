package io.replaybuffer.segment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.replaybuffer.platform.storage.SafePaths;
import io.replaybuffer.platform.storage.StorageRoots;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Knows, for a buffer directory, exactly which footage is complete and when it was recorded.
 *
 * <p>The playlists are the source of truth, because egress adds a segment to them only after the segment's copy is
 * complete: a {@code .ts} no playlist lists may still be half-written. The main playlist lags after the first hour
 * (egress rewrites it only every few segments) and the live playlist may be caught mid-rewrite, so both are read and
 * merged; a file between two listed ones is trusted too (a later segment exists) with its time interpolated.
 * Only the buffer's window is checked on disk, so the cost does not grow with the directory.
 */
@ApplicationScoped
public class SegmentIndex {

    /** Consecutive segments whose times differ by more than this are not one continuous recording. */
    static final Duration CONTINUITY_TOLERANCE = Duration.ofMillis(500);
    private static final int MAX_RETRIES = 1000;
    private static final int MAX_INTERPOLATED = 10_000;

    private final Path root;
    /** Parsed main playlists by path, reused while the file's size and mtime are unchanged. */
    private final Cache<Path, Parsed> playlists = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    @Inject
    SegmentIndex(StorageRoots roots) {
        this(roots.segments());
    }

    /** An index over any segments root (tools, benchmarks and tests). */
    public SegmentIndex(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The directory of a buffer's segments; never outside the segments root. */
    public Path directory(String dir) {
        return SafePaths.resolve(root, dir);
    }

    /** Complete footage ending within {@code window} of the newest segment. */
    public Footage footage(String dir, Duration window) {
        Path directory = directory(dir);
        if (!Files.isDirectory(directory)) {
            return Footage.NONE;
        }
        try {
            List<Segment> candidates = new ArrayList<>();
            int misses = 0;
            for (int retry = 0; retry < MAX_RETRIES && misses < 2; retry++) {
                List<Segment> attempt = listed(directory, retry);
                misses = attempt.isEmpty() && !playlistExists(directory, retry) ? misses + 1 : 0;
                candidates.addAll(attempt);
            }
            return assemble(candidates, window);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segments of buffer " + dir, e);
        }
    }

    private static boolean playlistExists(Path directory, int retry) {
        return Files.exists(directory.resolve(SegmentLayout.playlistName(retry)))
                || Files.exists(directory.resolve(SegmentLayout.livePlaylistName(retry)));
    }

    /** The segments one egress attempt has listed (main ∪ live playlist), plus unlisted files between them. */
    private List<Segment> listed(Path directory, int retry) throws IOException {
        TreeMap<Long, HlsPlaylist.Entry> bySequence = new TreeMap<>();
        addEntries(bySequence, mainPlaylist(directory.resolve(SegmentLayout.playlistName(retry))), retry);
        addEntries(bySequence, HlsPlaylist.read(directory.resolve(SegmentLayout.livePlaylistName(retry))), retry);
        List<Segment> segments = new ArrayList<>(bySequence.size());
        Map.Entry<Long, HlsPlaylist.Entry> previous = null;
        for (Map.Entry<Long, HlsPlaylist.Entry> current : bySequence.entrySet()) {
            if (current.getValue().programDateTime() == null) {
                continue; // egress always writes a program date time; an entry without one cannot be placed in time
            }
            if (previous != null) {
                interpolate(directory, retry, previous, current, segments);
            }
            HlsPlaylist.Entry entry = current.getValue();
            segments.add(new Segment(directory.resolve(SegmentLayout.segmentName(retry, current.getKey())), retry,
                    current.getKey(), entry.programDateTime(), entry.durationSeconds()));
            previous = current;
        }
        return segments;
    }

    /** Files numbered between two listed segments are complete (a later one exists): place them in the gap. */
    private static void interpolate(Path directory, int retry, Map.Entry<Long, HlsPlaylist.Entry> before,
            Map.Entry<Long, HlsPlaylist.Entry> after, List<Segment> out) {
        long missing = after.getKey() - before.getKey() - 1;
        if (missing <= 0 || missing > MAX_INTERPOLATED) {
            return;
        }
        HlsPlaylist.Entry first = before.getValue();
        Instant gapStart = first.programDateTime().plusNanos(Math.round(first.durationSeconds() * 1e9));
        double each = Duration.between(gapStart, after.getValue().programDateTime()).toNanos() / 1e9 / missing;
        if (each <= 0) {
            return;
        }
        for (long i = 1; i <= missing; i++) {
            Path file = directory.resolve(SegmentLayout.segmentName(retry, before.getKey() + i));
            if (Files.exists(file)) {
                out.add(new Segment(file, retry, before.getKey() + i,
                        gapStart.plusNanos(Math.round(each * (i - 1) * 1e9)), each));
            }
        }
    }

    private static void addEntries(TreeMap<Long, HlsPlaylist.Entry> into, HlsPlaylist playlist, int retry) {
        for (HlsPlaylist.Entry entry : playlist.entries()) {
            String name = entry.uri().substring(entry.uri().lastIndexOf('/') + 1);
            SegmentLayout.parseSegment(name)
                    .filter(parsed -> parsed.retry() == retry)
                    .ifPresent(parsed -> into.merge(parsed.sequence(), entry,
                            (old, fresh) -> old.programDateTime() != null ? old : fresh));
        }
    }

    private HlsPlaylist mainPlaylist(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            playlists.invalidate(file);
            return HlsPlaylist.EMPTY;
        }
        Parsed cached = playlists.getIfPresent(file);
        if (cached != null && cached.size == attributes.size() && cached.modified.equals(attributes.lastModifiedTime())) {
            return cached.playlist;
        }
        HlsPlaylist playlist = HlsPlaylist.read(file);
        playlists.put(file, new Parsed(attributes.size(), attributes.lastModifiedTime(), playlist));
        return playlist;
    }

    /** Keeps the window, checks those files are really there, and splits them into continuous runs. */
    static Footage assemble(List<Segment> candidates, Duration window) {
        if (candidates.isEmpty()) {
            return Footage.NONE;
        }
        candidates.sort((a, b) -> a.start().compareTo(b.start()));
        Instant newest = candidates.stream().map(Segment::end).max(Instant::compareTo).orElseThrow();
        Instant horizon = newest.minus(window);
        List<Segment> kept = new ArrayList<>();
        for (Segment segment : candidates) {
            if (segment.end().isAfter(horizon) && nonEmptyFile(segment.file())) {
                kept.add(segment);
            }
        }
        List<SegmentRun> runs = new ArrayList<>();
        List<Segment> current = new ArrayList<>();
        for (Segment segment : kept) {
            if (!current.isEmpty() && !continues(current.get(current.size() - 1), segment)) {
                runs.add(new SegmentRun(current));
                current = new ArrayList<>();
            }
            current.add(segment);
        }
        if (!current.isEmpty()) {
            runs.add(new SegmentRun(current));
        }
        Duration available = runs.isEmpty() ? Duration.ZERO : runs.get(runs.size() - 1).duration();
        if (available.compareTo(window) > 0) {
            available = window;
        }
        return new Footage(List.copyOf(kept), List.copyOf(runs), available);
    }

    /** Same egress attempt, the next number, and no time jump (a track blip or clock step splits a run). */
    static boolean continues(Segment previous, Segment next) {
        return previous.retry() == next.retry()
                && next.sequence() == previous.sequence() + 1
                && Duration.between(previous.end(), next.start()).abs().compareTo(CONTINUITY_TOLERANCE) <= 0;
    }

    private static boolean nonEmptyFile(Path file) {
        try {
            return Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private record Parsed(long size, FileTime modified, HlsPlaylist playlist) {
    }
}
