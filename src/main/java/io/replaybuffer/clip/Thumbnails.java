package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.platform.media.FfmpegNatives;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.jboss.logging.Logger;

/**
 * After a clip is READY, off the capture's critical path: decode one frame into a JPEG poster, and checksum the MP4
 * (SHA-256, kept for integrity checks). One low-priority thread, so this never competes with builds. It records them
 * itself: neither is part of the clip's state, which only {@link ClipStore} and {@link ClipOutcomes} change.
 */
@ApplicationScoped
public class Thumbnails {

    private static final Logger LOG = Logger.getLogger(Thumbnails.class);
    private static final long POSTER_AT_MICROS = 1_000_000;

    private final ClipFiles files;
    private final EntityManager em;
    private final ClipCache cache;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "clip-thumbnails");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });

    Thumbnails(ClipFiles files, EntityManager em, ClipCache cache, Clock clock) {
        this.files = files;
        this.em = em;
        this.cache = cache;
        this.clock = clock;
    }

    public void schedule(UUID clipId) {
        worker.execute(() -> {
            try {
                make(clipId);
            } catch (Exception e) {
                LOG.warnf(e, "no thumbnail for clip %s", clipId);
            }
        });
    }

    void make(UUID clipId) throws IOException {
        Optional<String> video = videoPath(clipId);
        if (video.isEmpty()) {
            return;
        }
        Path file = files.resolve(video.get());
        String sha256 = checksum(file);
        String relative = ClipFiles.relativePath(clipId, "jpg");
        Path temp = files.newTemp(clipId, "jpg");
        Path target = files.resolve(relative);
        try {
            // Into the file newTemp created (ImageIO's File variant would delete it and open the name afresh).
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                ImageIO.write(poster(file), "jpg", out);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp); // gone after the move; left by a failure otherwise
        }
        if (!record(clipId, sha256, relative, Files.size(target))) {
            Files.deleteIfExists(target); // the clip was deleted or lost meanwhile
        }
    }

    /** The relative path of a READY clip's video, for its thumbnail; empty when it has none (any more). */
    private Optional<String> videoPath(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select f.relativePath from Clip c join c.file f where c.id = :id and c.status = :ready", String.class)
                .setParameter("id", id).setParameter("ready", ClipStatus.READY).getResultStream().findFirst());
    }

    /**
     * Records a READY clip's checksum and poster frame; false when the clip is not READY any more (the caller then
     * removes the poster it wrote).
     */
    private boolean record(UUID id, String sha256, String relativePath, long sizeBytes) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = Clip.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (clip == null || clip.status != ClipStatus.READY) {
                return false;
            }
            clip.file.sha256 = sha256;
            if (clip.thumbnail == null) {
                StoredFile file = new StoredFile();
                file.id = UUID.randomUUID();
                file.relativePath = relativePath;
                file.sizeBytes = sizeBytes;
                file.contentType = "image/jpeg";
                file.createdAt = clock.instant();
                file.persist();
                clip.thumbnail = file;
                cache.changed(clip);
            }
            return true;
        });
    }

    private static BufferedImage poster(Path video) throws IOException {
        FfmpegNatives.load();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            if (grabber.getLengthInTime() > 2 * POSTER_AT_MICROS) {
                grabber.setVideoTimestamp(POSTER_AT_MICROS);
            }
            Frame frame = grabber.grabImage();
            if (frame == null || frame.image == null) {
                throw new IOException("the clip has no decodable frame");
            }
            return converter.convert(frame);
        }
    }

    private static String checksum(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
