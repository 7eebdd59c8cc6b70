package io.replaybuffer.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keeps the server under test to one core (taskset) for the overload phase, so that it cannot starve the load
 * generator: on a 2-core machine a saturated service otherwise takes both (2.1 cores measured at 5,000/s), and
 * Gatling's late requests and lost answers (it ran out of file descriptors) then look like the service's latency
 * and errors. The service gets the last core; the generator, PostgreSQL and Redis float, so the generator has at
 * least one core to itself. (Pinning Gatling's own JVM stopped its actor system from running at all: Java's
 * processor count follows the affinity.) With one core, or without taskset, nothing is pinned and
 * {@link #description()} says so.
 */
final class Cores {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final boolean PINNING = CORES >= 2 && onPath("taskset");

    private Cores() {
    }

    /** A server and its children (nginx' workers) on the last core. */
    static void pinServer(ProcessHandle server) {
        if (PINNING) {
            try (Stream<ProcessHandle> all = Stream.concat(Stream.of(server), server.descendants())) {
                all.forEach(process -> pin(process, Integer.toString(CORES - 1)));
            }
        }
    }

    /** Lets a pinned server use every core again. */
    static void unpin(ProcessHandle server) {
        if (PINNING) {
            try (Stream<ProcessHandle> all = Stream.concat(Stream.of(server), server.descendants())) {
                all.forEach(process -> pin(process, "0-" + (CORES - 1)));
            }
        }
    }

    static String description() {
        return PINNING ? "the service pinned to core " + (CORES - 1) + " of " + CORES
                + " with taskset, the load generator, PostgreSQL and Redis free to use any"
                : "nothing pinned (" + CORES + " core(s), taskset " + (onPath("taskset") ? "present" : "absent") + ")";
    }

    private static void pin(ProcessHandle process, String cpus) {
        List<String> command = new ArrayList<>(List.of("taskset", "-a", "-p", "-c", cpus,
                Long.toString(process.pid())));
        try {
            Process taskset = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(taskset.getInputStream().readAllBytes());
            if (taskset.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + ": " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("taskset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> new java.io.File(dir, tool).canExecute());
    }
}
