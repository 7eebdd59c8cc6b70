package io.replaybuffer.platform.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** How full the volume holding a path is. */
public final class VolumeUsage {

    private VolumeUsage() {
    }

    /** Share in use, 0 to 1. */
    public static double used(Path path) {
        try {
            FileStore store = Files.getFileStore(path);
            return store.getTotalSpace() == 0 ? 0 : 1.0 - (double) store.getUsableSpace() / store.getTotalSpace();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
