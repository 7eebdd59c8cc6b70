package io.replaybuffer.cleanup;

import io.replaybuffer.platform.time.Pace;
import io.replaybuffer.segment.PlaylistTrimmer;
import io.replaybuffer.segment.SegmentIndex;
import io.replaybuffer.segment.SegmentLayout;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * One pass over the segments volume, one directory entry at a time (never a whole listing in memory), deciding per
 * buffer directory what goes: footage that has left the buffer's window (by playlist time, not file age), whole
 * directories of long-stopped buffers, and directories no buffer owns. Captures are safe by construction: they hold
 * hard links in {@code .captures}, which this pass never enters.
 *
 * <p>The volume is written by egress pods and so is untrusted. The walk goes through {@link SecureDirectoryStream}s,
 * which act relative to an open directory: a buffer folder is entered only if it is a real directory (never through
 * a link), and deleting an entry unlinks that entry itself, never what a link points to. Each buffer folder is
 * handled on its own: one that cannot be read is counted, logged and skipped, and the pass goes on.
 */
public final class SegmentSweep {

    private static final Logger LOG = Logger.getLogger(SegmentSweep.class);

    private final Path root;
    private final SegmentIndex index;
    private final Pace pace;

    /** A sweep that never pauses: for tools and tests with a folder of their own. */
    public SegmentSweep(Path root, SegmentIndex index) {
        this(root, index, Pace.unpaced());
    }

    /** A sweep that steps {@code pace} before each buffer folder. */
    public SegmentSweep(Path root, SegmentIndex index, Pace pace) {
        this.root = root;
        this.index = index;
        this.pace = pace;
    }

    public SweepOutcome sweep(Function<String, SweepDecision> decide, Instant now) throws IOException {
        SweepOutcome.Tally tally = new SweepOutcome.Tally();
        try (SecureDirectoryStream<Path> entries = secure(Files.newDirectoryStream(root))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || !SegmentLayout.isDirName(name)) {
                    continue; // .captures, .tmp and anything that is not a buffer directory
                }
                pace.step();
                try {
                    visit(entries, name, decide.apply(name), now, tally);
                } catch (IOException | RuntimeException e) {
                    tally.foldersFailed++;
                    LOG.warnf("sweep skipped segment folder %s: %s", name, describe(e));
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        return tally.outcome();
    }

    /** Keeps a buffer's window: deletes older segments, then drops them from its playlists. */
    public SweepOutcome trim(String name, SweepDecision.KeepWindow keep, Instant now) throws IOException {
        SweepOutcome.Tally tally = new SweepOutcome.Tally();
        try (SecureDirectoryStream<Path> entries = secure(Files.newDirectoryStream(root))) {
            visit(entries, name, keep, now, tally);
        }
        return tally.outcome();
    }

    private void visit(SecureDirectoryStream<Path> parent, String name, SweepDecision decision, Instant now,
            SweepOutcome.Tally tally) throws IOException {
        BasicFileAttributes attributes = attributes(parent, name).orElse(null);
        if (attributes == null || !attributes.isDirectory()) {
            return; // gone, or a link or file named like a buffer: never entered
        }
        try (SecureDirectoryStream<Path> directory = parent.newDirectoryStream(Path.of(name),
                LinkOption.NOFOLLOW_LINKS)) {
            if (decision instanceof SweepDecision.KeepWindow keep) {
                trim(name, directory, keep, now, tally);
            } else if (decision instanceof SweepDecision.DeleteAll) {
                deleteDirectory(parent, name, directory, tally);
            } else if (decision instanceof SweepDecision.Orphan orphan
                    && attributes.lastModifiedTime().toInstant().plus(orphan.grace()).isBefore(now)) {
                LOG.infof("removing segment directory %s: no buffer owns it", name);
                deleteDirectory(parent, name, directory, tally);
            } else {
                count(directory, tally);
            }
        } catch (NoSuchFileException vanished) {
            // Removed by someone else while we looked: nothing left to do for it.
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    private void trim(String name, SecureDirectoryStream<Path> directory, SweepDecision.KeepWindow keep, Instant now,
            SweepOutcome.Tally tally) throws IOException {
        SegmentIndex.Retention retention = index.retention(name, keep.attempts(), now, keep.window());
        // Unlisted files of an attempt with no playlist at all (its egress died before listing any) go by age.
        Instant staleBefore = now.minus(keep.window()).minus(keep.window());
        boolean deleted = false;
        for (Path file : directory) {
            String fileName = file.getFileName().toString();
            BasicFileAttributes attributes = attributes(directory, fileName).orElse(null);
            if (attributes == null || !attributes.isRegularFile()) {
                continue; // links, FIFOs, folders: not egress output, left for the operator (never followed)
            }
            Optional<SegmentLayout.PlaylistName> playlist = SegmentLayout.parsePlaylist(fileName);
            Optional<SegmentLayout.SegmentName> segment = SegmentLayout.parseSegment(fileName);
            boolean expired = segment.isPresent() && (retention.expired(segment.get(), attributes.lastModifiedTime().toInstant())
                    || (!retention.knows(segment.get().attempt())
                        && attributes.lastModifiedTime().toInstant().isBefore(staleBefore)));
            if (expired) {
                deleted |= delete(directory, fileName, attributes.size(), tally);
            } else if (playlist.isEmpty() || !retention.knows(playlist.get().attempt())) {
                tally.filesKept++; // playlists still in use are counted below, after trimming
                tally.bytesKept += attributes.size();
            }
        }
        Path path = root.resolve(name);
        if (deleted) {
            PlaylistTrimmer.trim(path, retention.keepFrom());
        }
        for (SegmentLayout.Attempt attempt : retention.keepFrom().keySet()) {
            for (String playlist : List.of(attempt.playlist(), attempt.livePlaylist())) {
                attributes(directory, playlist).filter(BasicFileAttributes::isRegularFile).ifPresent(a -> {
                    tally.filesKept++;
                    tally.bytesKept += a.size();
                });
            }
        }
    }

    private void deleteDirectory(SecureDirectoryStream<Path> parent, String name, SecureDirectoryStream<Path> directory,
            SweepOutcome.Tally tally) throws IOException {
        for (Path file : directory) {
            String fileName = file.getFileName().toString();
            BasicFileAttributes attributes = attributes(directory, fileName).orElse(null);
            if (attributes != null && !attributes.isDirectory()) {
                delete(directory, fileName, attributes.isRegularFile() ? attributes.size() : 0, tally);
            }
        }
        try {
            parent.deleteDirectory(Path.of(name));
            tally.directoriesDeleted++;
        } catch (DirectoryNotEmptyException e) {
            LOG.warnf("segment directory %s still has entries (egress still writing, or a folder inside);"
                    + " next sweep retries", name);
        } catch (NoSuchFileException vanished) {
            // already gone
        }
    }

    private static void count(SecureDirectoryStream<Path> directory, SweepOutcome.Tally tally) throws IOException {
        for (Path file : directory) {
            attributes(directory, file.getFileName().toString()).filter(BasicFileAttributes::isRegularFile)
                    .ifPresent(a -> {
                        tally.filesKept++;
                        tally.bytesKept += a.size();
                    });
        }
    }

    /** Unlinks one entry of an open directory: a link goes, never its target. */
    private static boolean delete(SecureDirectoryStream<Path> directory, String fileName, long size,
            SweepOutcome.Tally tally) throws IOException {
        try {
            directory.deleteFile(Path.of(fileName));
            tally.filesDeleted++;
            tally.bytesDeleted += size;
            return true;
        } catch (NoSuchFileException vanished) {
            return false;
        }
    }

    private static Optional<BasicFileAttributes> attributes(SecureDirectoryStream<Path> directory, String name)
            throws IOException {
        try {
            return Optional.of(directory.getFileAttributeView(Path.of(name), BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes());
        } catch (NoSuchFileException vanished) {
            return Optional.empty();
        }
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream) throws IOException {
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("this platform cannot walk directories without following links; refusing to sweep");
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof DirectoryIteratorException ? e.getCause() : e;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
