package io.replaybuffer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the service process from outside, as an operator would: heap after a full GC ({@code jcmd GC.run}, then
 * {@code GC.heap_info}), metaspace, resident memory and threads ({@code /proc}), the JVM's own account of its native
 * memory (NMT), the Redis memory its keys take, and its PostgreSQL connections.
 */
public final class SoakProbe {

    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");
    private static final Pattern NMT = Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    public record Sample(double minutes, double heapAfterGcMiB, double metaspaceMiB, double rssMiB, int threads,
            double redisKeysKiB, int redisKeys, int dbConnections, double load) {
    }

    private final long pid;
    private final int redisDb;

    public SoakProbe(long pid, int redisDb) {
        this.pid = pid;
        this.redisDb = redisDb;
    }

    public Sample sample(double minutes, Connection db) throws Exception {
        double rss = status("VmRSS") / 1024.0; // before the forced GC, which may return memory
        int threads = (int) status("Threads");
        jcmd("GC.run");
        String heap = jcmd("GC.heap_info");
        long usedK = 0;
        Matcher used = USED.matcher(heap);
        while (used.find()) {
            usedK += Long.parseLong(used.group(1)); // every generation (or G1's one heap line)
        }
        Matcher meta = METASPACE.matcher(heap);
        double metaspace = meta.find() ? Long.parseLong(meta.group(1)) / 1024.0 : Double.NaN;
        long[] redis = redis();
        return new Sample(minutes, usedK / 1024.0, metaspace, rss, threads, redis[1] / 1024.0, (int) redis[0],
                connections(db), loadAverage());
    }

    /** The Redis database the service under test uses (TEST_REDIS_HOSTS' path), for its key count. */
    public static int redisDb() {
        String hosts = System.getenv().getOrDefault("TEST_REDIS_HOSTS", "redis://127.0.0.1:6379/9");
        return Integer.parseInt(hosts.substring(hosts.lastIndexOf('/') + 1));
    }

    /** Committed MiB by NMT category (needs -XX:NativeMemoryTracking=summary), with "Total". */
    Map<String, Double> nativeMemory() throws Exception {
        String summary = jcmd("VM.native_memory", "summary");
        Map<String, Double> committed = new LinkedHashMap<>();
        Matcher total = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB").matcher(summary);
        if (total.find()) {
            committed.put("Total", Long.parseLong(total.group(2)) / 1024.0);
        }
        Matcher m = NMT.matcher(summary);
        while (m.find()) {
            committed.put(m.group(1).trim(), Long.parseLong(m.group(3)) / 1024.0);
        }
        return committed;
    }

    /** jcmd with a longer attach timeout and two retries: on a loaded machine the attach can take over 10 s. */
    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("jcmd", "-J-Dsun.tools.attach.attachTimeout=60000", Long.toString(pid)));
        line.addAll(List.of(command));
        for (int attempt = 1; ; attempt++) {
            try {
                return run(line.toArray(String[]::new));
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Keys in our Redis database and the bytes they take ({@code MEMORY USAGE}, summed). */
    private long[] redis() throws Exception {
        String script = "redis-cli -n " + redisDb + " --scan | sed 's/^/MEMORY USAGE /' | redis-cli -n " + redisDb;
        String out = run("bash", "-c", script);
        long keys = 0;
        long bytes = 0;
        for (String line : out.split("\n")) {
            if (line.matches("\\d+")) {
                keys++;
                bytes += Long.parseLong(line);
            }
        }
        return new long[] {keys, bytes};
    }

    private static int connections(Connection db) throws Exception {
        try (Statement sql = db.createStatement(); ResultSet r = sql.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    /** A line of /proc/PID/status, in its unit (kB for memory). */
    private long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(field + " missing from /proc/" + pid + "/status");
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
