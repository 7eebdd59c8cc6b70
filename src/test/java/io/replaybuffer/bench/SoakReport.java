package io.replaybuffer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The soak's figures as a section of docs/benchmarks.md. */
record SoakReport(String name, int buffers, Duration length, List<String> jvm, double loadBefore, double loadAfter,
        double setupSeconds, long segmentBytes, SoakProbe.Sample idle, List<SoakProbe.Sample> samples,
        List<SoakTraffic.Window> windows, Map<String, Integer> requests, Map<String, Double> nativeMemory,
        List<long[]> sweeps, int rps) {

    /** Samples from this minute on count for the slope: the first minute still loads classes and fills caches. */
    private static final double SETTLED = 2.0;
    private static final Pattern SWEEP = Pattern.compile("sweep: deleted (\\d+) files .* and (\\d+) directories.*; (\\d+) ms");

    String title() {
        return String.format(Locale.ROOT, "%s: %,d active buffers for %d minutes%s",
                name.equals("scale") ? "Memory at scale" : "Soak", buffers, length.toMinutes(),
                name.equals("scale") ? " on a 256 MiB heap" : ", the chart's JVM settings");
    }

    /** {deleted files, ms} of every cleanup run the service logged. */
    static List<long[]> sweeps(Path log) throws IOException {
        List<long[]> runs = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = SWEEP.matcher(line);
            if (m.find()) {
                runs.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(3))});
            }
        }
        return runs;
    }

    String markdown(Path png) {
        SoakProbe.Sample first = samples.get(0);
        SoakProbe.Sample last = samples.get(samples.size() - 1);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, """
                ## %s

                The packaged service as one process (`target/quarkus-app`), with the JVM options a backend pod runs:
                the base image's, then the chart's `JAVA_OPTS_APPEND`%s, plus native memory tracking:
                `%s`.
                PostgreSQL and Redis as in production; LiveKit faked at its HTTP boundary. %,d buffers are started
                through the API and go ACTIVE by LiveKit's webhook; each then gets one 10 s segment every 10 s, after a
                back-fill of 72 (so the sweep always has a full tree). The segments are real footage (H.264 + AAC,
                160x90, %.0f KiB each) encoded once and copied in under egress' names through egress' playlist writer:
                encoding per buffer costs a tenth of a core (see "Simulated egress"), too much for %,d buffers on two
                cores. Meanwhile players make %d requests a second at a constant rate (their buffer, their clips,
                their quota) and one capture every 10 s. Every sample forces a full GC (`jcmd GC.run`) and reads the
                heap after it (`GC.heap_info`), resident memory (`/proc`), our Redis keys' `MEMORY USAGE` and the
                database's connections. Load average %.1f before, %.1f after (2 cores, shared with other work);
                starting the buffers took %.0f s.

                """, title(), name.equals("scale") ? " with the heap capped at 256 MiB (`-Xmx256m` after them)" : "",
                String.join(" ", jvm), buffers, segmentBytes / 1024.0, buffers, rps, loadBefore, loadAfter,
                setupSeconds));
        out.append("| measure | idle, no buffers | first sample | last sample | highest | slope after minute 2 |\n");
        out.append("|---|---|---|---|---|---|\n");
        row(out, "heap after full GC (MiB)", idle.heapAfterGcMiB(), first.heapAfterGcMiB(), last.heapAfterGcMiB(),
                max(SoakProbe.Sample::heapAfterGcMiB), slope(SoakProbe.Sample::heapAfterGcMiB));
        row(out, "metaspace (MiB)", idle.metaspaceMiB(), first.metaspaceMiB(), last.metaspaceMiB(),
                max(SoakProbe.Sample::metaspaceMiB), slope(SoakProbe.Sample::metaspaceMiB));
        row(out, "resident memory (MiB)", idle.rssMiB(), first.rssMiB(), last.rssMiB(), max(SoakProbe.Sample::rssMiB),
                slope(SoakProbe.Sample::rssMiB));
        row(out, "threads", idle.threads(), first.threads(), last.threads(), max(s -> s.threads()), slope(s -> s.threads()));
        row(out, "Redis: our keys' memory (KiB)", idle.redisKeysKiB(), first.redisKeysKiB(), last.redisKeysKiB(),
                max(SoakProbe.Sample::redisKeysKiB), slope(SoakProbe.Sample::redisKeysKiB));
        row(out, "Redis: keys", idle.redisKeys(), first.redisKeys(), last.redisKeys(), max(s -> s.redisKeys()),
                slope(s -> s.redisKeys()));
        row(out, "PostgreSQL connections", idle.dbConnections(), first.dbConnections(), last.dbConnections(),
                max(s -> s.dbConnections()), slope(s -> s.dbConnections()));
        out.append(String.format(Locale.ROOT, "%nSlopes are per hour (least squares over the samples from minute %.0f on);"
                + " the load average at the samples ran from %.1f to %.1f.%n%n", SETTLED,
                samples.stream().mapToDouble(SoakProbe.Sample::load).min().orElse(0),
                samples.stream().mapToDouble(SoakProbe.Sample::load).max().orElse(0)));
        out.append("![").append(title()).append("](images/").append(png.getFileName()).append(")\n\n");
        List<Double> p99 = windows.stream().skip(1).map(SoakTraffic.Window::p99).filter(d -> !d.isNaN()).sorted().toList();
        List<Double> p50 = windows.stream().skip(1).map(SoakTraffic.Window::p50).filter(d -> !d.isNaN()).sorted().toList();
        out.append(String.format(Locale.ROOT, "Requests: %s. GET latency per sample window: p50 median %.1f ms, p99 median %.1f ms, worst p99 %.1f ms.%n%n",
                requests.entrySet().stream().map(e -> e.getValue() + " × " + e.getKey()).collect(Collectors.joining(", ")),
                median(p50), median(p99), p99.isEmpty() ? Double.NaN : p99.get(p99.size() - 1)));
        if (!sweeps.isEmpty()) {
            List<Long> ms = sweeps.stream().skip(1).map(r -> r[1]).sorted().toList(); // the first ran during start-up
            long deleted = sweeps.stream().mapToLong(r -> r[0]).sum();
            out.append(String.format(Locale.ROOT, "The service's cleanup runs (sweep of every buffer's folder, leftovers,"
                    + " reconcile, recovery, audit), as it logged them: %d runs, %,d files deleted, median %d ms, longest %d ms"
                    + " (each buffer keeps about 62 segments: its 600 s window and one more).%n%n", sweeps.size(), deleted,
                    ms.isEmpty() ? sweeps.get(0)[1] : ms.get(ms.size() / 2), ms.isEmpty() ? sweeps.get(0)[1] : ms.get(ms.size() - 1)));
        }
        out.append("Native memory the JVM committed at the end (NMT, MiB): ");
        out.append(nativeMemory.entrySet().stream().filter(e -> e.getValue() >= 1)
                .map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
        out.append(String.format(Locale.ROOT, "; resident at the same time: %.0f MiB (NMT counts committed pages never"
                + " touched, which are not resident; resident memory also holds what NMT does not see: native libraries"
                + " such as FFmpeg's and their allocations).%n", last.rssMiB()));
        return out.toString();
    }

    private double max(java.util.function.ToDoubleFunction<SoakProbe.Sample> f) {
        return samples.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    /** Least-squares slope per hour over the settled samples. */
    private double slope(java.util.function.ToDoubleFunction<SoakProbe.Sample> f) {
        List<SoakProbe.Sample> settled = samples.stream().filter(s -> s.minutes() >= SETTLED).toList();
        if (settled.size() < 3) {
            return Double.NaN;
        }
        double mx = settled.stream().mapToDouble(SoakProbe.Sample::minutes).average().orElseThrow();
        double my = settled.stream().mapToDouble(f).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (SoakProbe.Sample s : settled) {
            num += (s.minutes() - mx) * (f.applyAsDouble(s) - my);
            den += (s.minutes() - mx) * (s.minutes() - mx);
        }
        return num / den * 60;
    }

    private static void row(StringBuilder out, String what, double idle, double first, double last, double max, double slope) {
        out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %+.1f / h |%n", what, idle, first, last, max, slope));
    }

    private static double median(List<Double> sorted) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}
