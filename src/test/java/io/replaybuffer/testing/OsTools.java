package io.replaybuffer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Command-line tools some tests drive (promtool, kubectl, chromium...). Like the test services, the test command
 * sets them up itself: a missing tool is installed from the OS packages when this runs as root with apt-get (CI's
 * clean machine), and otherwise the test fails saying what to install.
 */
public final class OsTools {

    private OsTools() {
    }

    /** The path of {@code command}, installing Debian package {@code debianPackage} first if needed. */
    public static synchronized String require(String command, String debianPackage) {
        require(command, debianPackage, () -> onPath(command) != null);
        return onPath(command).toString();
    }

    /**
     * Makes sure {@code what} (a plug-in, a library: anything that is not a command) is there as {@code present}
     * tells, installing Debian package {@code debianPackage} first if needed.
     */
    public static synchronized void require(String what, String debianPackage, java.util.function.BooleanSupplier present) {
        boolean found = present.getAsBoolean();
        if (!found && canInstall()) {
            run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage));
            found = present.getAsBoolean();
            if (!found) {
                run(List.of("apt-get", "update", "-qq"));
                run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", debianPackage));
                found = present.getAsBoolean();
            }
        }
        if (!found) {
            throw new IllegalStateException(what + " is needed by this test: install it (Debian: apt-get install "
                    + debianPackage + "), or run .ci/run, which does");
        }
    }

    /** A command that ran past its timeout (and was killed). */
    public static final class TimedOut extends AssertionError {
        TimedOut(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code builder}'s command to its end and returns what it printed on standard output; a non-zero exit or
     * running past {@code timeout} fails with everything it printed. Standard error is kept apart (tools print
     * warnings there) unless the builder merges it.
     */
    public static String exec(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        // Both streams go to files, so the timeout holds even for a tool that hangs with its output still open
        // (reading a pipe to its end would wait for the hung process instead).
        Path output = Files.createTempFile("exec", ".out");
        Path errors = Files.createTempFile("exec", ".err");
        try {
            builder.redirectOutput(output.toFile());
            if (!builder.redirectErrorStream()) {
                builder.redirectError(errors.toFile());
            }
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly().waitFor();
            }
            String out = Files.readString(output, StandardCharsets.UTF_8);
            if (!finished) {
                throw new TimedOut(builder.command() + " did not finish in " + timeout + ":\n" + out
                        + Files.readString(errors));
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(builder.command() + " failed:\n" + out + Files.readString(errors));
            }
            return out;
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean canInstall() {
        return "root".equals(System.getProperty("user.name")) && onPath("apt-get") != null;
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = builder.start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
