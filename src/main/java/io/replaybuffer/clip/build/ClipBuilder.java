package io.replaybuffer.clip.build;

import io.replaybuffer.clip.ClipEvents;
import io.replaybuffer.clip.ClipFiles;
import io.replaybuffer.clip.ClipMetrics;
import io.replaybuffer.clip.ClipStore;
import io.replaybuffer.clip.ClipView;
import io.replaybuffer.clip.Thumbnails;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a secured capture into a READY clip: stream-copy MP4 to a temporary name on the clips volume, sync it,
 * rename it into place, then record it. Any failure leaves no file behind, marks the clip FAILED with a reason and
 * gives its quota back. The capture folder goes either way.
 */
@ApplicationScoped
public class ClipBuilder {

    private static final Logger LOG = Logger.getLogger(ClipBuilder.class);

    private final CaptureFolders folders;
    private final ClipFiles files;
    private final ClipStore store;
    private final ClipEvents events;
    private final ClipMetrics metrics;
    private final Thumbnails thumbnails;

    ClipBuilder(CaptureFolders folders, ClipFiles files, ClipStore store, ClipEvents events, ClipMetrics metrics,
            Thumbnails thumbnails) {
        this.folders = folders;
        this.files = files;
        this.store = store;
        this.events = events;
        this.metrics = metrics;
        this.thumbnails = thumbnails;
    }

    public void build(BuildOrder order) {
        LOG.debugf("clip %s: build starts", order.clipId());
        store.touch(order.clipId());
        Path temp = null;
        String relative = ClipFiles.relativePath(order.clipId(), "mp4");
        try {
            long t0 = System.nanoTime();
            temp = files.temp(order.clipId(), "mp4");
            StreamCopyMp4.Result result = StreamCopyMp4.build(folders.inputs(order), order.from(), order.length(), temp);
            long muxed = System.nanoTime();
            if (result.derivedTimestamps() > 0 || result.droppedPackets() > 0) {
                // Not an error (FFmpeg's own demuxer derives the same), but footage worth a look if it is common.
                LOG.infof("clip %s: %d packet timestamps derived from their neighbours, %d packets without any left out",
                        order.clipId(), result.derivedTimestamps(), result.droppedPackets());
            }
            metrics.packetsRepaired(result.derivedTimestamps(), result.droppedPackets());
            Path target = files.resolve(relative);
            publish(temp, target);
            long synced = System.nanoTime();
            Optional<ClipView> ready = store.ready(order.clipId(), relative, result);
            LOG.debugf("clip %s: muxed %d MB in %d ms, synced and renamed in %d ms, recorded in %d ms",
                    order.clipId(), result.sizeBytes() >> 20, (muxed - t0) / 1_000_000, (synced - muxed) / 1_000_000,
                    (System.nanoTime() - synced) / 1_000_000);
            if (ready.isEmpty()) {
                Files.deleteIfExists(target); // deleted while it was being built
                return;
            }
            metrics.succeeded(store.age(ready.get()));
            metrics.built(result.sizeBytes());
            events.finished(ready.get());
            thumbnails.schedule(order.clipId());
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "building clip %s failed", order.clipId());
            deleteQuietly(temp);
            String reason = e.getMessage() != null && e.getMessage().contains("No space left")
                    ? "not enough storage space to save the clip" : "building the MP4 failed";
            metrics.failed(reason.startsWith("not enough") ? "insufficient-storage" : "build-failed");
            store.fail(order.clipId(), reason).ifPresent(events::finished);
        } finally {
            folders.remove(order.clipId());
        }
    }

    /** Syncs the finished file, then renames it into place, so its final name only ever shows a whole file. */
    private static void publish(Path temp, Path target) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.createDirectories(target.getParent());
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            directory.force(true); // the rename itself survives a power cut
        } catch (IOException ignored) {
            // Not every file system lets a directory be synced; the file data already is.
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not remove %s; cleanup will", file.getFileName());
        }
    }
}
