package io.replaybuffer.platform.media;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;
import org.jboss.logging.Logger;

/**
 * Loads the FFmpeg natives once. JavaCPP extracts them into a cache directory on first use; by default that is under
 * the user's home, which a container with a read-only root file system does not have, so the directory is pinned
 * here unless the JVM was told otherwise ({@code -Dorg.bytedeco.javacpp.cachedir=...}; the image pre-extracts there).
 */
public final class FfmpegNatives {

    public static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static final Logger LOG = Logger.getLogger(FfmpegNatives.class);
    private static volatile boolean loaded;

    private FfmpegNatives() {
    }

    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (FfmpegNatives.class) {
            if (loaded) {
                return;
            }
            if (System.getProperty(CACHE_DIR_PROPERTY) == null) {
                String fromEnv = System.getenv("JAVACPP_CACHEDIR");
                System.setProperty(CACHE_DIR_PROPERTY, fromEnv != null ? fromEnv
                        : Path.of(System.getProperty("user.home"), ".cache", "javacpp").toString());
            }
            Loader.load(avutil.class);
            Loader.load(avcodec.class);
            Loader.load(avformat.class);
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            LOG.infof("FFmpeg natives loaded (libavcodec %d) from %s", avcodec.avcodec_version(),
                    System.getProperty(CACHE_DIR_PROPERTY));
            loaded = true;
        }
    }

    /**
     * Extracts the natives into the cache directory and exits: the image runs this at build time, so a container with
     * a read-only root file system finds them in place and never writes there.
     */
    public static void main(String[] args) {
        load();
        System.out.println("FFmpeg natives ready in " + System.getProperty(CACHE_DIR_PROPERTY) + " (H.264 encoder: "
                + h264Encoder() + ")");
    }

    /** The first available H.264 encoder: x264 in a GPL build, OpenH264 in the default LGPL one. */
    public static String h264Encoder() {
        load();
        for (String name : new String[] {"libx264", "libopenh264"}) {
            if (avcodec.avcodec_find_encoder_by_name(name) != null) {
                return name;
            }
        }
        throw new IllegalStateException("this FFmpeg build has no H.264 encoder");
    }
}
