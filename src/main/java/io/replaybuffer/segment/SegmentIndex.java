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
            List<EgressAttempts.Attempt> attempts = attempts(directory, true);
            if (attempts.isEmpty()) {
                return Footage.NONE;
            }
            // Work out the window first, so only its segments are materialised and checked on disk.
            Instant horizon = attempts.stream().map(EgressAttempts.Attempt::end).max(Instant::compareTo).orElseThrow().minus(window);
            List<Segment> candidates = new ArrayList<>();
            for (EgressAttempts.Attempt attempt : attempts) {
                attempt.segmentsAfter(directory, horizon, candidates);
            }
            return assemble(candidates, window);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read segments of buffer " + dir, e);
        }
    }

    /**
     * For cleanup: per egress attempt (retry) that still has a playlist, the first segment number worth keeping,
     * i.e. the first listed segment ending after {@code cutoff} (everything numbered below it has left the window).
     * Also the newest footage end seen, so cleanup can measure windows from the footage rather than the wall clock.
     */
    public Retention retention(String dir, Instant cutoffFromNewest, Duration window) {
        Path directory = directory(dir);
        Map<Integer, Long> keepFrom = new java.util.HashMap<>();
        List<EgressAttempts.Attempt> attempts;
        try {
            attempts = attempts(directory, false); // the sweep rewrites playlists: caching them only holds heap
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read playlists of buffer " + dir, e);
        }
        if (attempts.isEmpty()) {
            return new Retention(Map.of(), null);
        }
        Instant newest = attempts.stream().map(EgressAttempts.Attempt::end).max(Instant::compareTo).orElseThrow();
        // Measured back from the newest footage (or now, if earlier): a stalled buffer keeps its last window.
        Instant reference = cutoffFromNewest.isBefore(newest) ? cutoffFromNewest : newest;
        Instant cutoff = reference.minus(window);
        for (EgressAttempts.Attempt attempt : attempts) {
            // A segment ending exactly at the cutoff has not ended before it: it stays.
            int from = attempt.firstEndingAfter(cutoff.minusNanos(1));
            keepFrom.put(attempt.retry(), from < attempt.listed().size() ? attempt.listed().get(from).sequence()
                    : attempt.listed().get(attempt.listed().size() - 1).sequence() + 1);
        }
        return new Retention(Map.copyOf(keepFrom), newest);
    }

    /** Which segments of a buffer cleanup may delete: per retry, everything numbered below {@code keepFrom}. */
    public record Retention(Map<Integer, Long> keepFrom, Instant newest) {

        /** True when the named segment is known to have left the window. */
        public boolean expired(SegmentLayout.SegmentName segment) {
            Long first = keepFrom.get(segment.retry());
            return first != null && segment.sequence() < first;
        }

        public boolean knows(int retry) {
            return keepFrom.containsKey(retry);
        }
    }

    /**
     * Every egress attempt of a buffer that listed something, in retry order. Retries count up from 0; probing
     * stops after two numbers in a row with no playlist at all.
     */
    private List<EgressAttempts.Attempt> attempts(Path directory, boolean cache) throws IOException {
        List<EgressAttempts.Attempt> attempts = new ArrayList<>();
        int misses = 0;
        for (int retry = 0; retry < MAX_RETRIES && misses < 2; retry++) {
            EgressAttempts.Attempt attempt = attempt(directory, retry, cache);
            misses = attempt == null ? misses + 1 : 0;
            if (attempt != null && !attempt.listed().isEmpty()) {
                attempts.add(attempt);
            }
        }
        return attempts;
    }

    /**
     * One egress attempt's listed segments (main playlist, extended by the live one), in sequence order; null when
     * the attempt has neither playlist. Each playlist is looked up once: the sweep does this for every buffer.
     */
    private EgressAttempts.Attempt attempt(Path directory, int retry, boolean cache) throws IOException {
        Path livePath = directory.resolve(SegmentLayout.livePlaylistName(retry));
        Path mainPath = directory.resolve(SegmentLayout.playlistName(retry));
        boolean mainExists = Files.isRegularFile(mainPath);
        // Probing the next retry finds no files most of the time; checking first avoids throwing for it.
        boolean liveExists = Files.isRegularFile(livePath);
        if (!mainExists && !liveExists) {
            if (cache) {
                playlists.invalidate(mainPath);
            }
            return null;
        }
        List<EgressAttempts.Listed> main = !mainExists ? List.of()
                : cache ? mainPlaylist(mainPath, retry) : listedOf(HlsPlaylist.read(mainPath), retry);
        List<EgressAttempts.Listed> live = liveExists ? listedOf(HlsPlaylist.read(livePath), retry) : List.of();
        long lastMain = main.isEmpty() ? -1 : main.get(main.size() - 1).sequence();
        List<EgressAttempts.Listed> newer = live.stream().filter(l -> l.sequence() > lastMain).toList();
        if (newer.isEmpty()) {
            return new EgressAttempts.Attempt(retry, main);
        }
        List<EgressAttempts.Listed> merged = new ArrayList<>(main.size() + newer.size());
        merged.addAll(main);
        merged.addAll(newer);
        return new EgressAttempts.Attempt(retry, merged);
    }

    /** Playlist entries of this attempt with a wall clock, sorted by sequence, duplicates dropped. */
    private static List<EgressAttempts.Listed> listedOf(HlsPlaylist playlist, int retry) {
        TreeMap<Long, EgressAttempts.Listed> bySequence = new TreeMap<>();
        for (HlsPlaylist.Entry entry : playlist.entries()) {
            if (entry.programDateTime() == null) {
                continue; // egress always writes one; an entry without it cannot be placed in time
            }
            String name = entry.uri().substring(entry.uri().lastIndexOf('/') + 1);
            SegmentLayout.parseSegment(name).filter(parsed -> parsed.retry() == retry).ifPresent(parsed ->
                    bySequence.putIfAbsent(parsed.sequence(),
                            new EgressAttempts.Listed(parsed.sequence(), entry.programDateTime(), entry.durationSeconds())));
        }
        return List.copyOf(bySequence.values());
    }

    private List<EgressAttempts.Listed> mainPlaylist(Path file, int retry) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            playlists.invalidate(file);
            return List.of();
        }
        Parsed cached = playlists.getIfPresent(file);
        if (cached != null && cached.size == attributes.size() && cached.modified.equals(attributes.lastModifiedTime())) {
            return cached.listed;
        }
        List<EgressAttempts.Listed> listed = listedOf(HlsPlaylist.read(file), retry);
        playlists.put(file, new Parsed(attributes.size(), attributes.lastModifiedTime(), listed));
        return listed;
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

    private record Parsed(long size, FileTime modified, List<EgressAttempts.Listed> listed) {
    }
}
