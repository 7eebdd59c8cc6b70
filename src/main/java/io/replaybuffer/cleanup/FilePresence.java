package io.replaybuffer.cleanup;

import io.replaybuffer.platform.storage.VolumeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Whether a file is there, told apart from not knowing. {@code Files.exists} answers false both when the file is
 * absent and when its existence cannot be determined (an NFS timeout, a stale handle, a permission error), and the
 * audit must only ever act on the first.
 */
enum FilePresence {
    /** A regular file is there. */
    PRESENT,
    /** The file system said there is nothing at that name ({@code NoSuchFileException}). */
    ABSENT,
    /** Any other answer: an I/O error, or something that is not a regular file (a link, a directory). */
    UNKNOWN;

    static FilePresence of(Path file) {
        try {
            Optional<BasicFileAttributes> attributes = VolumeFiles.attributes(file); // never follows a link
            if (attributes.isEmpty()) {
                return ABSENT;
            }
            return attributes.get().isRegularFile() ? PRESENT : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
