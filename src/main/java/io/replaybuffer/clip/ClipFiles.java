package io.replaybuffer.clip;

import io.replaybuffer.platform.storage.SafePaths;
import io.replaybuffer.platform.storage.StorageRoots;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Where clip files live on the clips volume: {@code <2-char shard>/<clip id>.mp4} and {@code .jpg}, so no directory
 * grows past a few thousand entries; files being written go to {@code .tmp/} on the same volume, so moving them into
 * place is an atomic rename and a half-written file is never visible under its final name.
 */
@ApplicationScoped
public class ClipFiles {

    public static final String TEMP_DIR = ".tmp";

    private final Path root;

    ClipFiles(StorageRoots roots) {
        this.root = roots.clips();
    }

    public Path root() {
        return root;
    }

    /** Path of a clip file relative to the clips root, as stored in the database. */
    public static String relativePath(UUID clipId, String extension) {
        String id = clipId.toString();
        return id.substring(0, 2) + "/" + id + "." + extension;
    }

    public Path resolve(String relativePath) {
        return SafePaths.resolveRelative(root, relativePath);
    }

    public Path temp(UUID clipId, String extension) throws IOException {
        Path temp = Files.createDirectories(root.resolve(TEMP_DIR));
        return SafePaths.resolve(temp, clipId + "." + extension + ".part");
    }
}
