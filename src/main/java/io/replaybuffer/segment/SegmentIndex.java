package io.replaybuffer.segment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.replaybuffer.platform.storage.SafePaths;
import io.replaybuffer.platform.storage.StorageRoots;
import io.replaybuffer.platform.storage.VolumeFiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Knows, for a buffer directory, exactly which footage is complete and when it was recorded.
 *
 * <p>The playlists are the source of truth, because egress adds a segment to them only after the segment's copy is
 * complete: a {@code .ts} no playlist lists may still be half-written. The main playlist lags after the first hour
 * (egress rewrites it only every few segments) and the live playlist may be caught mid-rewrite, so both are read and
 * merged; a file between two listed ones is trusted too (a later segment exists) with its time interpolated.
 * Only the buffer's window is checked on disk, so the cost does not grow with the directory.
 *
 * <p>Which playlists to read is what egress reported for the buffer's attempts. When nothing was reported (every
 * report of an egress lost, or a buffer recorded before names were kept), the directory is searched for playlists
 * named as egress names them: logged once per buffer and counted, because it means reports are going missing.
 */
@ApplicationScoped
public class SegmentIndex {

    private static final Logger LOG = Logger.getLogger(SegmentIndex.class);
    /** Consecutive segments whose times differ by more than this are not one continuous recording. */
    static final Duration CONTINUITY_TOLERANCE = Duration.ofMillis(500);
    /** A playlist is a few hundred KB after days of recording; anything far larger is not egress' doing. */
    static final int MAX_PLAYLIST_BYTES = 32 << 20;
    /** A buffer directory holds one attempt per retry; egress retries a handful of times, never thousands. */
    private static final int MAX_DISCOVERED_ATTEMPTS = 64;

    private final Path root;
    /** Parsed main playlists by path, reused while the file's size and mtime are unchanged. */
    private final Cache<Path, Parsed> playlists = Caffeine.newBuilder()
            .maximumSize(20_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
    /** Directories whose footage had to be discovered, so each is logged and counted once. */
    private final Cache<String, Boolean> discovered = Caffeine.newBuilder().maximumSize(10_000).build();
    private final AtomicLong discoveries = new AtomicLong();
    /** Playlists found unreadable, so each is logged once. */
    private final Cache<Path, Boolean> unreadable = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofHours(1)).build();

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

    /** Buffers whose footage was found by searching because egress' reports of its names were all lost. */
    public long discoveries() {
        return discoveries.get();
    }

    /** Complete footage ending within {@code window} of the newest segment, from the attempts egress reported. */
    public Footage footage(String dir, Collection<SegmentLayout.Attempt> reported, Duration window) {
        Path directory = directory(dir);
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return Footage.NONE;
        }
        try {
            List<EgressAttempts.Attempt> attempts = attempts(dir, directory, reported, true);
            if (attempts.isEmpty()) {
                return Footage.NONE;
            }
            // Work out the window first, so only its segments are materialised and checked on disk.
            Instant horizon = newest(attempts).minus(window);
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
     * For cleanup: per egress attempt that still has a playlist, the first segment number worth keeping, i.e. the
     * first listed segment ending after the cutoff (everything numbered below it has left the window). The cutoff is
     * {@code window} before {@code now}, or before the newest footage when that is older: a stalled buffer keeps its
     * last window.
     */
    public Retention retention(String dir, Collection<SegmentLayout.Attempt> reported, Instant now, Duration window)
            throws IOException {
        Path directory = directory(dir);
        // The sweep rewrites playlists: caching them would only hold heap.
        List<EgressAttempts.Attempt> attempts = attempts(dir, directory, reported, false);
        if (attempts.isEmpty()) {
            return new Retention(Map.of(), Set.of(), null, null);
        }
        Instant newest = newest(attempts);
        Instant cutoff = (now.isBefore(newest) ? now : newest).minus(window);
        Map<SegmentLayout.Attempt, Long> keepFrom = new HashMap<>();
        Set<SegmentLayout.Attempt> byAgeBelow = new HashSet<>();
        for (EgressAttempts.Attempt attempt : attempts) {
            keepFrom.put(attempt.names(), attempt.keepFrom(cutoff));
            if (attempt.nothingListedExpired(cutoff)) {
                byAgeBelow.add(attempt.names());
            }
        }
        return new Retention(Map.copyOf(keepFrom), Set.copyOf(byAgeBelow), cutoff, newest);
    }

    /**
     * Which segments of a buffer cleanup may delete: per attempt, everything numbered below {@code keepFrom}; for an
     * attempt in {@code byAgeBelow} (its first listed segment is still in the window, so the playlist says nothing
     * about older files) only those below it last written before {@code cutoff}.
     */
    public record Retention(Map<SegmentLayout.Attempt, Long> keepFrom, Set<SegmentLayout.Attempt> byAgeBelow,
            Instant cutoff, Instant newest) {

        /** True when the named segment, last written at {@code modified}, is known to have left the window. */
        public boolean expired(SegmentLayout.SegmentName segment, Instant modified) {
            Long first = keepFrom.get(segment.attempt());
            if (first == null || segment.sequence() >= first) {
                return false;
            }
            return !byAgeBelow.contains(segment.attempt()) || modified.isBefore(cutoff);
        }

        public boolean knows(SegmentLayout.Attempt attempt) {
            return keepFrom.containsKey(attempt);
        }
    }

    private static Instant newest(List<EgressAttempts.Attempt> attempts) {
        return attempts.stream().map(EgressAttempts.Attempt::end).max(Instant::compareTo).orElseThrow();
    }

    /** Every attempt that listed something, in retry order: the reported ones, or those found when none was. */
    private List<EgressAttempts.Attempt> attempts(String dir, Path directory, Collection<SegmentLayout.Attempt> reported,
            boolean cache) throws IOException {
        Collection<SegmentLayout.Attempt> names = reported.isEmpty() ? discover(dir, directory) : new TreeSet<>(reported);
        List<EgressAttempts.Attempt> attempts = new ArrayList<>(names.size());
        for (SegmentLayout.Attempt name : names) {
            EgressAttempts.Attempt attempt = attempt(directory, name, cache);
            if (!attempt.listed().isEmpty()) {
                attempts.add(attempt);
            }
        }
        return attempts;
    }

    /** The attempts whose playlists are in the directory: only for an egress whose reports were all lost. */
    private Collection<SegmentLayout.Attempt> discover(String dir, Path directory) throws IOException {
        TreeSet<SegmentLayout.Attempt> found = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.m3u8")) {
            for (Path file : files) {
                Optional<SegmentLayout.PlaylistName> name = SegmentLayout.parsePlaylist(file.getFileName().toString());
                if (name.isPresent() && VolumeFiles.isRegularFile(file)) {
                    found.add(name.get().attempt());
                    if (found.size() >= MAX_DISCOVERED_ATTEMPTS) {
                        break;
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return List.of();
        }
        if (!found.isEmpty() && discovered.asMap().putIfAbsent(dir, Boolean.TRUE) == null) {
            discoveries.incrementAndGet();
            LOG.warnf("buffer directory %s: egress reported no playlist names; found %s on disk", dir, found);
        }
        return found;
    }

    /** One attempt's listed segments (main playlist, extended by the live one), in sequence order. */
    private EgressAttempts.Attempt attempt(Path directory, SegmentLayout.Attempt names, boolean cache)
            throws IOException {
        Path mainPath = directory.resolve(names.playlist());
        List<EgressAttempts.Listed> main = cache ? mainPlaylist(mainPath, names) : listedOf(read(mainPath), names);
        List<EgressAttempts.Listed> live = listedOf(cache ? readOrSkip(directory.resolve(names.livePlaylist()))
                : read(directory.resolve(names.livePlaylist())), names);
        long lastMain = main.isEmpty() ? -1 : main.get(main.size() - 1).sequence();
        List<EgressAttempts.Listed> newer = live.stream().filter(l -> l.sequence() > lastMain).toList();
        if (newer.isEmpty()) {
            return new EgressAttempts.Attempt(names, main);
        }
        List<EgressAttempts.Listed> merged = new ArrayList<>(main.size() + newer.size());
        merged.addAll(main);
        merged.addAll(newer);
        return new EgressAttempts.Attempt(names, merged);
    }

    private static HlsPlaylist read(Path file) throws IOException {
        return VolumeFiles.readText(file, MAX_PLAYLIST_BYTES).map(HlsPlaylist::parse).orElse(HlsPlaylist.EMPTY);
    }

    /**
     * For reading footage, an unreadable playlist (a link, a FIFO, a folder where a playlist should be) counts as
     * empty: the other playlist and the files still serve. Cleanup reads strictly instead and skips the folder,
     * because deleting on half the facts could lose footage.
     */
    private HlsPlaylist readOrSkip(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            if (unreadable.asMap().putIfAbsent(file, Boolean.TRUE) == null) {
                LOG.warnf("ignoring %s: %s", root.relativize(file), e.getMessage());
            }
            return HlsPlaylist.EMPTY;
        }
    }

    /**
     * Playlist entries of this attempt with a wall clock, sorted by sequence, duplicates dropped. An entry must name
     * one of this attempt's segments exactly: a playlist is untrusted and may list anything.
     */
    private static List<EgressAttempts.Listed> listedOf(HlsPlaylist playlist, SegmentLayout.Attempt names) {
        TreeMap<Long, EgressAttempts.Listed> bySequence = new TreeMap<>();
        for (HlsPlaylist.Entry entry : playlist.entries()) {
            if (entry.programDateTime() == null) {
                continue; // egress always writes one; an entry without it cannot be placed in time
            }
            String name = entry.uri().substring(entry.uri().lastIndexOf('/') + 1);
            SegmentLayout.parseSegment(name).filter(parsed -> parsed.attempt().equals(names)).ifPresent(parsed ->
                    bySequence.putIfAbsent(parsed.sequence(),
                            new EgressAttempts.Listed(parsed.sequence(), entry.programDateTime(), entry.durationSeconds())));
        }
        return List.copyOf(bySequence.values());
    }

    private List<EgressAttempts.Listed> mainPlaylist(Path file, SegmentLayout.Attempt names) throws IOException {
        Optional<BasicFileAttributes> attributes = VolumeFiles.attributes(file);
        if (attributes.isEmpty()) {
            playlists.invalidate(file);
            return List.of();
        }
        Parsed cached = playlists.getIfPresent(file);
        if (cached != null && cached.size == attributes.get().size()
                && cached.modified.equals(attributes.get().lastModifiedTime())) {
            return cached.listed;
        }
        List<EgressAttempts.Listed> listed = listedOf(readOrSkip(file), names);
        if (cached != null && caughtMidCopy(cached.listed, listed)) {
            return cached.listed; // egress is re-uploading it (truncate, then copy): the last full read stands
        }
        playlists.put(file, new Parsed(attributes.get().size(), attributes.get().lastModifiedTime(), listed));
        return listed;
    }

    /**
     * A read that lists the same head as the last one but stops earlier: egress uploads its main playlist by
     * truncating the copy on the volume and writing it again, so a reader can catch it short. (When the sweep cuts
     * the head, the head changes; egress itself only ever appends.)
     */
    private static boolean caughtMidCopy(List<EgressAttempts.Listed> before, List<EgressAttempts.Listed> now) {
        return now.size() < before.size()
                && (now.isEmpty() || now.get(0).sequence() == before.get(0).sequence());
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
            if (segment.end().isAfter(horizon) && nonEmptyRegularFile(segment.file())) {
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

    /**
     * Same egress attempt, the next number, and no time jump (a track blip or clock step splits a run). Attempts are
     * never stitched: a retried egress starts a new timestamp line after a gap.
     */
    static boolean continues(Segment previous, Segment next) {
        return previous.attempt().equals(next.attempt())
                && next.sequence() == previous.sequence() + 1
                && Duration.between(previous.end(), next.start()).abs().compareTo(CONTINUITY_TOLERANCE) <= 0;
    }

    private static boolean nonEmptyRegularFile(Path file) {
        try {
            return VolumeFiles.attributes(file).filter(a -> a.isRegularFile() && a.size() > 0).isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private record Parsed(long size, FileTime modified, List<EgressAttempts.Listed> listed) {
    }
}
