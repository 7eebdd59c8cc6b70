package io.replaybuffer.platform.storage;

import io.quarkus.runtime.Startup;
import io.replaybuffer.platform.config.ReplayConfig;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two volumes the service works on: egress segments (shared with egress pods) and permanent clips. */
@Startup
@Singleton
public class StorageRoots {

    private final Path segments;
    private final Path clips;

    StorageRoots(ReplayConfig config) {
        this.segments = config.segmentsPath().toAbsolutePath().normalize();
        this.clips = config.clipsPath().toAbsolutePath().normalize();
        requireApart(segments, clips);
    }

    /**
     * Creating the roots at start-up turns a mis-mounted volume into a clear boot failure or a DOWN readiness. Then,
     * with both there, their real paths are compared too: a link can put one inside the other behind distinct names.
     */
    @PostConstruct
    void createIfMissing() {
        for (Path root : new Path[] {segments, clips}) {
            try {
                Files.createDirectories(root);
            } catch (IOException e) {
                // Readiness reports it; failing the boot would hide the reason behind a crash loop.
                org.jboss.logging.Logger.getLogger(StorageRoots.class).errorf("cannot create storage root %s: %s", root, e);
            }
        }
        requireApart(real(segments), real(clips));
    }

    /**
     * Refuses roots that are the same folder or nested (compared element by element, so {@code /data/seg} and
     * {@code /data/segments} are apart): the sweep would take the clips for orphaned buffers, or the reverse.
     */
    static void requireApart(Path segments, Path clips) {
        if (segments.startsWith(clips) || clips.startsWith(segments)) {
            throw new OverlappingStorageRootsException(segments, clips);
        }
    }

    /** The path with every link resolved; as given when it cannot be resolved (readiness reports why). */
    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    public Path segments() {
        return segments;
    }

    public Path clips() {
        return clips;
    }

    /** True when {@code root} is a directory a file can really be created in (root ignores permission bits). */
    public static boolean writable(Path root) {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try {
            Path probe = Files.createTempFile(root, ".ready-", ".probe");
            Files.delete(probe);
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
