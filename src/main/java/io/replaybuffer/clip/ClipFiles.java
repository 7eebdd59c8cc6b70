package io.replaybuffer.clip;

import io.replaybuffer.platform.storage.SafePaths;
import io.replaybuffer.platform.storage.StorageRoots;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.UUID;

/**
 * Where clip files live on the clips volume: {@code <2-char shard>/<clip id>.mp4} and {@code .jpg}, so no directory
 * grows past a few thousand entries; files being written go to {@code .tmp/} on the same volume (each attempt under a
 * name of its own), so moving them into place is an atomic rename and a half-written file is never visible under its
 * final name.
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

    /**
     * A new, empty file in {@code .tmp/} for one attempt at writing a clip's file, {@code <id>.<random>.<ext>.part}.
     * The random part makes every attempt's name its own (two builds of one clip never write into each other's file)
     * and unguessable; {@code CREATE_NEW} makes sure nothing already there, a link above all, is written through.
     */
    public Path newTemp(UUID clipId, String extension) throws IOException {
        Path temp = Files.createDirectories(root.resolve(TEMP_DIR));
        Path file = SafePaths.resolve(temp, clipId + "." + UUID.randomUUID() + "." + extension + ".part");
        Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)).close();
        return file;
    }
}
