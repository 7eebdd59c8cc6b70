package io.replaybuffer.cleanup;

import io.replaybuffer.clip.ClipFiles;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.clip.build.CaptureFolders;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What crashes leave behind: capture folders whose clip is no longer being built, and half-written clip files in the
 * clips volume's temp folder. Each goes only after REPLAY_CLEANUP_ABANDONED_AFTER, and never while its clip is
 * PROCESSING (clip recovery owns those).
 */
@ApplicationScoped
public class Leftovers {

    private static final Logger LOG = Logger.getLogger(Leftovers.class);

    private final CaptureFolders folders;
    private final ClipFiles clipFiles;
    private final ClipStore store;
    private final CleanupMetrics metrics;
    private final Duration abandonedAfter;

    Leftovers(CaptureFolders folders, ClipFiles clipFiles, ClipStore store, CleanupMetrics metrics,
            ReplayConfig config) {
        this.folders = folders;
        this.clipFiles = clipFiles;
        this.store = store;
        this.metrics = metrics;
        this.abandonedAfter = config.cleanup().abandonedAfter();
    }

    /** Removes abandoned leftovers; returns how many. */
    public int remove(Instant now) throws IOException {
        Instant before = now.minus(abandonedAfter);
        return captureFolders(before) + tempFiles(before);
    }

    private int captureFolders(Instant before) throws IOException {
        if (!Files.isDirectory(folders.root(), LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folders.root())) {
            for (Path folder : entries) {
                UUID clipId;
                try {
                    clipId = UUID.fromString(folder.getFileName().toString());
                } catch (IllegalArgumentException notOurs) {
                    continue;
                }
                if (olderThan(folder, before) && !store.processing(clipId)) {
                    LOG.warnf("removing capture folder of clip %s left by an interrupted capture", clipId);
                    folders.remove(clipId);
                    metrics.problem("abandoned_capture_folder");
                    removed++;
                }
            }
        }
        return removed;
    }

    private int tempFiles(Instant before) throws IOException {
        Path temp = clipFiles.root().resolve(ClipFiles.TEMP_DIR);
        if (!Files.isDirectory(temp)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(temp)) {
            for (Path file : entries) {
                if (olderThan(file, before) && Files.deleteIfExists(file)) {
                    LOG.warnf("removed half-written clip file %s left by an interrupted build", file.getFileName());
                    metrics.problem("abandoned_temp_file");
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean olderThan(Path path, Instant before) throws IOException {
        try {
            // Never through a link: a link planted at .captures/<id> would lend us its target's age.
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before);
        } catch (NoSuchFileException gone) {
            return false;
        }
    }
}
