package io.replaybuffer.cleanup;

import io.replaybuffer.segment.PlaylistTrimmer;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One pass over the segments volume, one directory entry at a time (never a whole listing in memory), deciding per
 * buffer directory what goes: footage that has left the buffer's window (by playlist time, not file age), whole
 * directories of long-stopped buffers, and directories no buffer owns. Files that vanish while it walks are skipped.
 * Captures are safe by construction: they hold hard links in {@code .captures}, which this pass never enters.
 */
public final class SegmentSweep {

    private static final Logger LOG = Logger.getLogger(SegmentSweep.class);

    private final Path root;
    private final SegmentIndex index;

    public SegmentSweep(Path root, SegmentIndex index) {
        this.root = root;
        this.index = index;
    }

    public SweepOutcome sweep(Function<String, SweepDecision> decide, Instant now) throws IOException {
        SweepOutcome.Tally tally = new SweepOutcome.Tally();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !SegmentLayout.isDirName(name)
                        || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // .captures, .tmp and anything that is not a buffer directory
                }
                try {
                    SweepDecision decision = decide.apply(name);
                    if (decision instanceof SweepDecision.KeepWindow keep) {
                        trim(name, entry, keep.window(), now, tally);
                    } else if (decision instanceof SweepDecision.DeleteAll) {
                        deleteDirectory(entry, tally);
                    } else if (decision instanceof SweepDecision.Orphan orphan
                            && lastModified(entry).plus(orphan.grace()).isBefore(now)) {
                        LOG.infof("removing segment directory %s: no buffer owns it", name);
                        deleteDirectory(entry, tally);
                    } else {
                        count(entry, tally);
                    }
                } catch (NoSuchFileException vanished) {
                    // Removed by someone else while we looked: nothing left to do for it.
                }
            }
        }
        return tally.outcome();
    }

    /** Keeps a buffer's window: deletes older segments, then drops them from its playlists. */
    public SweepOutcome trim(String name, Duration window, Instant now) throws IOException {
        SweepOutcome.Tally tally = new SweepOutcome.Tally();
        trim(name, root.resolve(name), window, now, tally);
        return tally.outcome();
    }

    private void trim(String name, Path directory, Duration window, Instant now, SweepOutcome.Tally tally)
            throws IOException {
        SegmentIndex.Retention retention = index.retention(name, now, window);
        Instant staleBefore = now.minus(window).minus(window); // unlisted files of a retry without playlists
        boolean deleted = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                BasicFileAttributes attributes = attributes(file);
                if (attributes == null || !attributes.isRegularFile()) {
                    continue;
                }
                String fileName = file.getFileName().toString();
                if (SegmentLayout.isPlaylist(fileName) && retention.knows(retryOf(fileName))) {
                    continue; // counted below, after trimming
                }
                var segment = SegmentLayout.parseSegment(fileName);
                boolean expired = segment.isPresent() && (retention.expired(segment.get())
                        || (!retention.knows(segment.get().retry())
                            && attributes.lastModifiedTime().toInstant().isBefore(staleBefore)));
                if (expired) {
                    deleted |= delete(file, attributes.size(), tally);
                } else {
                    tally.filesKept++;
                    tally.bytesKept += attributes.size();
                }
            }
        }
        if (deleted) {
            PlaylistTrimmer.trim(directory, retention.keepFrom());
        }
        for (int retry : retention.keepFrom().keySet()) {
            for (String playlist : new String[] {SegmentLayout.playlistName(retry), SegmentLayout.livePlaylistName(retry)}) {
                BasicFileAttributes attributes = attributes(directory.resolve(playlist));
                if (attributes != null) {
                    tally.filesKept++;
                    tally.bytesKept += attributes.size();
                }
            }
        }
    }

    private static int retryOf(String playlistName) {
        return Integer.parseInt(playlistName.substring(playlistName.lastIndexOf("-r") + 2, playlistName.indexOf(".m3u8")));
    }

    private static void deleteDirectory(Path directory, SweepOutcome.Tally tally) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                BasicFileAttributes attributes = attributes(file);
                if (attributes != null && !attributes.isDirectory()) {
                    delete(file, attributes.size(), tally);
                }
            }
        }
        try {
            Files.deleteIfExists(directory);
            tally.directoriesDeleted++;
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            LOG.warnf("segment directory %s still has entries (egress still writing?); next sweep retries",
                    directory.getFileName());
        }
    }

    private static void count(Path directory, SweepOutcome.Tally tally) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                BasicFileAttributes attributes = attributes(file);
                if (attributes != null && attributes.isRegularFile()) {
                    tally.filesKept++;
                    tally.bytesKept += attributes.size();
                }
            }
        }
    }

    private static boolean delete(Path file, long size, SweepOutcome.Tally tally) throws IOException {
        if (Files.deleteIfExists(file)) {
            tally.filesDeleted++;
            tally.bytesDeleted += size;
            return true;
        }
        return false;
    }

    private static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException vanished) {
            return null;
        }
    }

    private static Instant lastModified(Path path) throws IOException {
        return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
    }
}
