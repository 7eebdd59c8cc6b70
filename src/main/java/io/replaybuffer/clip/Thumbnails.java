package io.replaybuffer.clip;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.replaybuffer.platform.media.FfmpegNatives;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
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
 * (SHA-256, kept for integrity checks). One low-priority thread, so this never competes with builds.
 */
@ApplicationScoped
public class Thumbnails {

    private static final Logger LOG = Logger.getLogger(Thumbnails.class);
    private static final long POSTER_AT_MICROS = 1_000_000;

    private final ClipFiles files;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "clip-thumbnails");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });

    Thumbnails(ClipFiles files, Clock clock) {
        this.files = files;
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
        String[] info = QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = Clip.findById(clipId);
            return clip == null || clip.file == null ? null : new String[] {clip.file.relativePath};
        });
        if (info == null) {
            return;
        }
        Path video = files.resolve(info[0]);
        String sha256 = checksum(video);
        String relative = ClipFiles.relativePath(clipId, "jpg");
        Path temp = files.temp(clipId, "jpg");
        ImageIO.write(poster(video), "jpg", temp.toFile());
        Path target = files.resolve(relative);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        long size = Files.size(target);
        boolean kept = QuarkusTransaction.requiringNew().call(() -> {
            Clip clip = Clip.findById(clipId);
            if (clip == null || clip.status != ClipStatus.READY) {
                return false;
            }
            clip.file.sha256 = sha256;
            if (clip.thumbnail == null) {
                StoredFile file = new StoredFile();
                file.id = UUID.randomUUID();
                file.relativePath = relative;
                file.sizeBytes = size;
                file.contentType = "image/jpeg";
                file.createdAt = clock.instant();
                file.persist();
                clip.thumbnail = file;
            }
            return true;
        });
        if (!kept) {
            Files.deleteIfExists(target);
        }
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
