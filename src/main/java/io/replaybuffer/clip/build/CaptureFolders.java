package io.replaybuffer.clip.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.replaybuffer.clip.ClipMarker;
import io.replaybuffer.platform.storage.SafePaths;
import io.replaybuffer.platform.storage.StorageRoots;
import io.replaybuffer.platform.storage.VolumeFiles;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Secured footage: {@code <segments root>/.captures/<clip id>/} holds hard links to the segments a capture chose,
 * plus its build order (and, while a post-roll capture waits for footage, its progress). A hard link costs microseconds and keeps the data alive whatever cleanup or egress later
 * does to the original name, so once this folder exists the capture can no longer fail because of timing.
 * Cleanup leaves the folder alone while its clip is PROCESSING and reclaims it afterwards.
 */
@ApplicationScoped
public class CaptureFolders {

    public static final String DIR = ".captures";
    private static final String ORDER = "order.json";
    /** A post-roll capture's progress while it waits for footage: see {@link PostRollWait}. */
    private static final String WAIT = "wait.json";
    /** An order lists a few hundred segments at most. */
    private static final int MAX_ORDER_BYTES = 1 << 20;

    private final Path root;
    private final ObjectMapper json;

    CaptureFolders(StorageRoots roots, ObjectMapper json) {
        this.root = roots.segments().resolve(DIR);
        this.json = json;
    }

    public Path root() {
        return root;
    }

    public Path folder(UUID clipId) {
        return SafePaths.resolve(root, clipId.toString());
    }

    /** Links {@code sources} into the clip's folder and writes its order; the order file appears last. */
    public BuildOrder secure(UUID clipId, java.time.Instant from, java.time.Duration length,
            List<Path> sources, List<java.time.Instant> starts) throws IOException {
        return secure(clipId, from, length, sources, starts, List.of());
    }

    /** As {@link #secure(UUID, java.time.Instant, java.time.Duration, List, List)}, with the clip's markers. */
    public BuildOrder secure(UUID clipId, java.time.Instant from, java.time.Duration length,
            List<Path> sources, List<java.time.Instant> starts, List<ClipMarker> markers) throws IOException {
        List<BuildOrder.Segment> segments = link(clipId, 0, sources, starts);
        return writeOrder(new BuildOrder(clipId, from, length, segments, markers));
    }

    /**
     * Links {@code sources} into the clip's folder (made if need be) under the positions from {@code first} on; a link
     * left at one of those positions by an earlier run (a crash before its progress was written) is replaced.
     */
    public List<BuildOrder.Segment> link(UUID clipId, int first, List<Path> sources, List<java.time.Instant> starts)
            throws IOException {
        Path folder = Files.createDirectories(folder(clipId));
        List<BuildOrder.Segment> segments = new java.util.ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            // Named by position, not after the egress file: those names are egress' business ({retry} and all).
            Path link = folder.resolve(String.format(java.util.Locale.ROOT, "%05d.ts", first + i));
            if (first > 0) {
                Files.deleteIfExists(link);
            }
            try {
                Files.createLink(link, source);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof NoSuchFileException) {
                    throw (NoSuchFileException) e;
                }
                // A volume without hard links (some NFS setups): copy instead, slower but as safe.
                Files.copy(source, link, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            }
            segments.add(new BuildOrder.Segment(link.getFileName().toString(), starts.get(i)));
        }
        return List.copyOf(segments);
    }

    /** Writes the build order, which marks the footage as completely secured: recovery builds from it. */
    public BuildOrder writeOrder(BuildOrder order) throws IOException {
        writeAtomically(order.clipId(), ORDER, order);
        return order;
    }

    /** Writes a post-roll capture's progress, which recovery resumes waiting from while there is no order yet. */
    public void writeWait(PostRollWait wait) throws IOException {
        writeAtomically(wait.clipId(), WAIT, wait);
    }

    /** A post-roll capture's progress; empty when it has none (or it cannot be read). */
    public Optional<PostRollWait> readWait(UUID clipId) {
        return readJson(clipId, WAIT, PostRollWait.class);
    }

    private void writeAtomically(UUID clipId, String name, Object value) throws IOException {
        Path folder = Files.createDirectories(folder(clipId));
        Path temp = folder.resolve(name + ".tmp");
        json.writeValue(temp.toFile(), value);
        Files.move(temp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private <T> Optional<T> readJson(UUID clipId, String name, Class<T> type) {
        try {
            Optional<String> text = VolumeFiles.readText(folder(clipId).resolve(name), MAX_ORDER_BYTES);
            return text.isEmpty() ? Optional.empty() : Optional.of(json.readValue(text.get(), type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The order of a capture whose footage was secured; empty when securing never finished (or it is not a file). */
    public Optional<BuildOrder> read(UUID clipId) {
        return readJson(clipId, ORDER, BuildOrder.class);
    }

    /**
     * The builder's inputs: the secured files and their start times. Each must still be a regular file of ours: the
     * folder is on the egress-writable volume, and a link swapped in would make the build read outside our roots.
     */
    public List<StreamCopyMp4.Input> inputs(BuildOrder order) throws IOException {
        Path folder = folder(order.clipId());
        List<StreamCopyMp4.Input> inputs = new java.util.ArrayList<>(order.segments().size());
        for (BuildOrder.Segment segment : order.segments()) {
            Path file = SafePaths.resolve(folder, segment.file());
            if (!VolumeFiles.isRegularFile(file)) {
                throw new VolumeFiles.NotRegularFileException(file);
            }
            inputs.add(new StreamCopyMp4.Input(file, segment.start()));
        }
        return inputs;
    }

    /**
     * Removes a capture folder and everything in it (the links; the footage lives on while others link to it). The
     * folder lives on the egress-writable volume, so it is walked relative to the open {@code .captures} directory:
     * something planted under a clip's id that is not a real directory (a link to the clips volume, say) is unlinked
     * itself, never entered, and nothing outside is ever deleted.
     */
    public void remove(UUID clipId) {
        Path name = Path.of(clipId.toString());
        try (DirectoryStream<Path> rootStream = Files.newDirectoryStream(root)) {
            if (!(rootStream instanceof SecureDirectoryStream<Path> captures)) {
                throw new IOException("this platform cannot remove folders without following links");
            }
            BasicFileAttributes attributes;
            try {
                attributes = captures.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            } catch (NoSuchFileException gone) {
                return;
            }
            if (!attributes.isDirectory()) {
                captures.deleteFile(name);
                return;
            }
            try (SecureDirectoryStream<Path> folder = captures.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
                for (Path entry : folder) {
                    folder.deleteFile(entry.getFileName());
                }
            }
            captures.deleteDirectory(name);
        } catch (NoSuchFileException gone) {
            // nothing to remove
        } catch (IOException | DirectoryIteratorException e) {
            throw new UncheckedIOException("cannot remove capture folder " + clipId,
                    e instanceof IOException io ? io : ((DirectoryIteratorException) e).getCause());
        }
    }
}
