package io.replaybuffer.clip.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.replaybuffer.platform.storage.SafePaths;
import io.replaybuffer.platform.storage.StorageRoots;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Secured footage: {@code <segments root>/.captures/<clip id>/} holds hard links to the segments a capture chose,
 * plus its build order. A hard link costs microseconds and keeps the data alive whatever cleanup or egress later
 * does to the original name, so once this folder exists the capture can no longer fail because of timing.
 * Cleanup leaves the folder alone while its clip is PROCESSING and reclaims it afterwards.
 */
@ApplicationScoped
public class CaptureFolders {

    public static final String DIR = ".captures";
    private static final String ORDER = "order.json";

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
        Path folder = Files.createDirectories(folder(clipId));
        List<BuildOrder.Segment> segments = new java.util.ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            Path source = sources.get(i);
            // Named by position, not after the egress file: those names are egress' business ({retry} and all).
            Path link = folder.resolve(String.format(java.util.Locale.ROOT, "%05d.ts", i));
            try {
                Files.createLink(link, source);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof NoSuchFileException) {
                    throw (NoSuchFileException) e;
                }
                // A volume without hard links (some NFS setups): copy instead, slower but as safe.
                Files.copy(source, link, StandardCopyOption.REPLACE_EXISTING);
            }
            segments.add(new BuildOrder.Segment(link.getFileName().toString(), starts.get(i)));
        }
        BuildOrder order = new BuildOrder(clipId, from, length, List.copyOf(segments));
        Path temp = folder.resolve(ORDER + ".tmp");
        json.writeValue(temp.toFile(), order);
        Files.move(temp, folder.resolve(ORDER), StandardCopyOption.ATOMIC_MOVE);
        return order;
    }

    /** The order of a capture whose footage was secured; empty when securing never finished. */
    public Optional<BuildOrder> read(UUID clipId) {
        Path file = folder(clipId).resolve(ORDER);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), BuildOrder.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The builder's inputs: the secured files and their start times. */
    public List<StreamCopyMp4.Input> inputs(BuildOrder order) {
        Path folder = folder(order.clipId());
        return order.segments().stream()
                .map(s -> new StreamCopyMp4.Input(SafePaths.resolve(folder, s.file()), s.start()))
                .toList();
    }

    /** Removes a capture folder and everything in it (the links; the footage lives on while others link to it). */
    public void remove(UUID clipId) {
        Path folder = folder(clipId);
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove capture folder " + clipId, e);
        }
    }
}
