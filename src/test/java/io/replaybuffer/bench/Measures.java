package io.replaybuffer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Small statistics and timing helpers the benchmarks (and the load benchmark) share. */
public final class Measures {

    private Measures() {
    }

    public static double median(List<Double> values) {
        return percentile(values, 50);
    }

    /** The nearest-rank percentile: a value that was measured, never an interpolation between two. */
    public static double percentile(List<Double> values, int p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }

    /** The 1-minute load average: on a shared machine the figures mean little without it. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Runs a command in {@code dir} and returns its wall time in seconds; fails if it fails. */
    public static double timed(Path dir, String... command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command[0] + " failed");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The first line of {@code command -version} (or {@code --version}), without the copyright. */
    public static String version(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse(command[0]);
        p.waitFor();
        return first.replaceAll(" Copyright.*", "");
    }
}
