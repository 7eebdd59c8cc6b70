package io.replaybuffer.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A CFS quota on the server under test for the overload phase: {@code LOAD_SERVER_CPU} of its one core, as a
 * Kubernetes CPU limit gives a replica. Pinned to a whole core, the service answered 18,000 list requests a second
 * with 0.6 of it, and Gatling needed the machine's other core to send that many: three times the knee of a whole core
 * cannot be offered from the same machine, and an "overload" there overloads nothing. Under a quota the replica runs
 * out of CPU first, as it would at its limit in a cluster.
 *
 * <p>The period is 10 ms, not Kubernetes' 100 ms: at a third of a core, 100 ms periods stall every event loop for
 * 67 ms in each, which every request would see as latency at any rate; 10 ms periods stall them under 7 ms, below
 * what the service's own overload detection counts as late (REPLAY_MAX_EVENT_LOOP_DELAY, 10 ms). Needs a writable
 * cgroup file system (cgroup v1's {@code cpu} controller or v2 with {@code cpu} enabled), as root has in a container;
 * without one, nothing is limited and {@link #description} says so.
 */
final class CpuQuota implements AutoCloseable {

    static final String SHARE = System.getProperty("load.server.cpu", "0.33");
    private static final long PERIOD_US = 10_000;
    private static final Path V1 = Path.of("/sys/fs/cgroup/cpu");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    private final long pid;
    /** Null when no quota was set; {@link #description} then says why. */
    private final Path group;
    private final Path home;
    private final String description;

    private CpuQuota(long pid, Path group, Path home, String description) {
        this.pid = pid;
        this.group = group;
        this.home = home;
        this.description = description;
    }

    /** Sets the quota on the server, or says why not (LOAD_SERVER_CPU=1, no writable cgroup cpu controller). */
    static CpuQuota limit(ProcessHandle server) {
        double share = Double.parseDouble(SHARE);
        if (share >= 1) {
            return none(server, "no CPU quota (LOAD_SERVER_CPU=1)");
        }
        long quota = Math.max(1000, Math.round(share * PERIOD_US));
        String name = "replay-load-" + server.pid();
        String applied = String.format(Locale.ROOT, "limited to %s of it by a CFS quota (%d µs of every %d µs, as a"
                + " CPU limit caps a replica)", SHARE, quota, PERIOD_US);
        try {
            if (Files.isWritable(V1.resolve("cgroup.procs"))) {
                Path group = Files.createDirectories(V1.resolve(name));
                Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
                Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(quota));
                return join(server.pid(), group, V1.resolve(current(server.pid(), "cpu")), applied);
            }
            if (Files.readString(V2.resolve("cgroup.controllers")).contains("cpu")) {
                Path home = V2.resolve(current(server.pid(), ""));
                Files.writeString(V2.resolve("cgroup.subtree_control"), "+cpu"); // the root's children may limit CPU
                Path group = Files.createDirectories(V2.resolve(name));
                Files.writeString(group.resolve("cpu.max"), quota + " " + PERIOD_US);
                return join(server.pid(), group, home, applied);
            }
            return none(server, "no CPU quota (no cgroup cpu controller)");
        } catch (IOException | RuntimeException e) {
            return none(server, "no CPU quota (" + e.getMessage() + ")");
        }
    }

    /** What the server runs on, as the report states it. */
    String description() {
        return description;
    }

    private static CpuQuota none(ProcessHandle server, String why) {
        return new CpuQuota(server.pid(), null, null, why);
    }

    private static CpuQuota join(long pid, Path group, Path home, String description) throws IOException {
        Files.writeString(group.resolve("cgroup.procs"), Long.toString(pid)); // every thread of the process
        return new CpuQuota(pid, group, home, description);
    }

    /** The process' cgroup path (relative) in the hierarchy of {@code controller} ("" for v2's unified one). */
    private static String current(long pid, String controller) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"));
        for (String line : lines) {
            String[] fields = line.split(":", 3);
            if (List.of(fields[1].split(",")).contains(controller) || controller.isEmpty() && fields[1].isEmpty()) {
                return fields[2].replaceFirst("^/", "");
            }
        }
        throw new IOException("no " + controller + " cgroup for " + pid);
    }

    /** Moves the server back where it was and removes the group. */
    @Override
    public void close() throws IOException {
        if (group == null) {
            return;
        }
        if (ProcessHandle.of(pid).isPresent()) {
            Files.writeString(home.resolve("cgroup.procs"), Long.toString(pid));
        }
        Files.deleteIfExists(group);
    }
}
