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
    }

    /** Creating the roots at start-up turns a mis-mounted volume into a clear boot failure or a DOWN readiness. */
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
