package io.replaybuffer.platform.storage;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Builds paths from ids without ever leaving a root. Each name is checked against a strict alphabet (no separators,
 * no dots at the start) and the result is checked again after normalisation, so a hostile id cannot climb out.
 */
public final class SafePaths {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");

    private SafePaths() {
    }

    /** {@code root/names[0]/names[1]/...}, or an {@link IllegalArgumentException} if any name is unsafe. */
    public static Path resolve(Path root, String... names) {
        Path base = root.toAbsolutePath().normalize();
        Path result = base;
        for (String name : names) {
            if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
                throw new IllegalArgumentException("unsafe path element");
            }
            result = result.resolve(name);
        }
        result = result.normalize();
        if (!result.startsWith(base) || result.equals(base)) {
            throw new IllegalArgumentException("path escapes its root");
        }
        return result;
    }

    /** Resolves a stored relative path such as {@code ab/clip.mp4}, rejecting anything absolute or climbing. */
    public static Path resolveRelative(Path root, String relative) {
        if (relative == null || relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")) {
            throw new IllegalArgumentException("unsafe relative path");
        }
        return resolve(root, relative.split("/"));
    }
}
