package io.replaybuffer.clip.build;

import io.replaybuffer.clip.ClipEvents;
import io.replaybuffer.clip.ClipFiles;
import io.replaybuffer.clip.ClipMetrics;
import io.replaybuffer.clip.ClipOutcomes;
import io.replaybuffer.clip.ClipEnding;
import io.replaybuffer.clip.Thumbnails;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns a secured capture into a READY clip: claim the clip, stream-copy MP4 to a temporary name of this attempt's own
 * on the clips volume, sync it, check the claim still holds, rename it into place, then record it under the same
 * claim. Any failure leaves no file behind, marks the clip FAILED with a reason and gives its quota back. Only the
 * attempt that ended the clip (or found it deleted) removes the capture folder: an attempt that lost its claim leaves
 * it to the one that took over, which may be reading it right now.
 */
@ApplicationScoped
public class ClipBuilder {

    private static final Logger LOG = Logger.getLogger(ClipBuilder.class);

    private final CaptureFolders folders;
    private final ClipFiles files;
    private final ClipOutcomes store;
    private final BuildLeases leases;
    private final ClipEvents events;
    private final ClipMetrics metrics;
    private final Thumbnails thumbnails;

    ClipBuilder(CaptureFolders folders, ClipFiles files, ClipOutcomes store, BuildLeases leases, ClipEvents events,
            ClipMetrics metrics, Thumbnails thumbnails) {
        this.folders = folders;
        this.files = files;
        this.store = store;
        this.leases = leases;
        this.events = events;
        this.metrics = metrics;
        this.thumbnails = thumbnails;
    }

    /** A capture's build: claims the clip when it starts (it may have waited in the queue). */
    public void build(BuildOrder order) {
        build(order, leases.claim(order.clipId()));
    }

    /** Builds the clip {@code attempt} claimed (recovery claims before queueing, so no other replica takes it). */
    public void build(BuildOrder order, BuildLeases.Attempt attempt) {
        UUID id = order.clipId();
        switch (attempt.claim()) {
            case HELD_ELSEWHERE -> {
                LOG.infof("clip %s: another build holds it; this one stands down", id);
                return;
            }
            case ENDED -> {
                LOG.debugf("clip %s: already ended or deleted; nothing to build", id);
                removeFolder(id); // nobody reads a capture folder once its clip left PROCESSING
                return;
            }
            case CLAIMED -> LOG.debugf("clip %s: build %s starts", id, attempt.id());
        }
        try {
            run(order, attempt);
        } finally {
            leases.end(attempt);
        }
    }

    private void run(BuildOrder order, BuildLeases.Attempt attempt) {
        UUID id = order.clipId();
        String relative = ClipFiles.relativePath(id, "mp4");
        Path temp = null;
        Path published = null;
        ClipEnding ending;
        try {
            long t0 = System.nanoTime();
            temp = files.newTemp(id, "mp4");
            StreamCopyMp4.Result result = StreamCopyMp4.build(folders.inputs(order), order.from(), order.length(),
                    order.markers(), temp);
            long muxed = System.nanoTime();
            if (result.derivedTimestamps() > 0 || result.droppedPackets() > 0) {
                // Not an error (FFmpeg's own demuxer derives the same), but footage worth a look if it is common.
                LOG.infof("clip %s: %d packet timestamps derived from their neighbours, %d packets without any left out",
                        id, result.derivedTimestamps(), result.droppedPackets());
            }
            metrics.packetsRepaired(result.derivedTimestamps(), result.droppedPackets());
            sync(temp);
            if (!leases.stillHeld(attempt)) {
                // Our lease ran out (a long stall) and another replica took the clip over: it publishes, not us.
                LOG.warnf("clip %s: build %s lost its claim before publishing; the build that took over finishes it",
                        id, attempt.id());
                deleteQuietly(temp);
                return;
            }
            Path target = files.resolve(relative);
            moveIntoPlace(temp, target);
            published = target;
            long synced = System.nanoTime();
            ending = store.ready(id, attempt.id(), relative, result);
            LOG.debugf("clip %s: muxed %d MB in %d ms, synced and renamed in %d ms, recorded in %d ms",
                    id, result.sizeBytes() >> 20, (muxed - t0) / 1_000_000, (synced - muxed) / 1_000_000,
                    (System.nanoTime() - synced) / 1_000_000);
            if (ending.ended()) {
                metrics.succeeded(store.age(ending.clip()));
                metrics.built(result.sizeBytes());
                events.finished(ending.clip());
                thumbnails.schedule(id);
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "building clip %s failed", id);
            deleteQuietly(temp);
            String reason = e.getMessage() != null && e.getMessage().contains("No space left")
                    ? "not enough storage space to save the clip" : "building the MP4 failed";
            ending = store.fail(id, attempt.id(), reason);
            if (ending.ended()) {
                metrics.failed(reason.startsWith("not enough") ? "insufficient-storage" : "build-failed");
                events.finished(ending.clip());
            }
        }
        switch (ending.outcome()) {
            case ENDED -> removeFolder(id);
            case GONE -> { // deleted while it was being built
                deleteQuietly(published);
                removeFolder(id);
            }
            case NOT_HELD -> LOG.warnf("clip %s: build %s lost its claim while publishing; the holder finishes it",
                    id, attempt.id());
        }
    }

    private void removeFolder(UUID id) {
        try {
            folders.remove(id);
        } catch (RuntimeException e) {
            LOG.warnf("clip %s: could not remove its capture folder (cleanup will): %s", id, e.getMessage());
        }
    }

    private static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Renames a synced file into place, so its final name only ever shows a whole file. */
    private static void moveIntoPlace(Path temp, Path target) throws IOException {
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
