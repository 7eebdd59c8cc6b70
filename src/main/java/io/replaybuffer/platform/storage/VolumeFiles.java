package io.replaybuffer.platform.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;

/**
 * Reads files from a volume whose content is untrusted (anything running in an egress pod can write into the
 * segments volume): never through a link, never anything but a regular file (opening a FIFO blocks forever), never
 * more than a bound.
 */
public final class VolumeFiles {

    private VolumeFiles() {
    }

    /** The file's attributes without following a link; empty when nothing is there. */
    public static Optional<BasicFileAttributes> attributes(Path file) throws IOException {
        try {
            return Optional.of(Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** True for a regular file that is really there (not a link to one); false for anything else or nothing. */
    public static boolean isRegularFile(Path file) {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The text of a regular file of at most {@code maxBytes}; empty when nothing is there. A link, a FIFO, a
     * directory or an oversized file is refused with an {@link IOException} naming why.
     */
    public static Optional<String> readText(Path file, int maxBytes) throws IOException {
        Optional<BasicFileAttributes> attributes = attributes(file);
        if (attributes.isEmpty()) {
            return Optional.empty();
        }
        if (!attributes.get().isRegularFile()) {
            throw new NotRegularFileException(file);
        }
        if (attributes.get().size() > maxBytes) {
            throw new IOException(file.getFileName() + " is larger than " + maxBytes + " bytes");
        }
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            // The file may grow between the stat and the read (egress appends): read at most the bound.
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, attributes.get().size() + 64 * 1024));
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading
            }
            return Optional.of(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Something on the volume that is not a regular file where one was expected. */
    public static final class NotRegularFileException extends IOException {
        public NotRegularFileException(Path file) {
            super(file.getFileName() + " is not a regular file");
        }
    }
}
