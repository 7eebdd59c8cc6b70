package io.replaybuffer.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a server process and its children used, from /proc: on a shared machine the latency of a run says as
 * much about the neighbours as about the server, but the CPU each request cost the server does not depend on them.
 */
final class CpuTime {

    /** Linux reports utime and stime in clock ticks of 10 ms (USER_HZ is 100 on every common build). */
    private static final double MILLIS_PER_TICK = 10.0;

    private CpuTime() {
    }

    /** Milliseconds of CPU used so far by {@code server} and its descendants (nginx' workers). */
    static double millis(ProcessHandle server) {
        try (Stream<ProcessHandle> all = Stream.concat(Stream.of(server), server.descendants())) {
            return all.mapToLong(CpuTime::ticks).sum() * MILLIS_PER_TICK;
        }
    }

    private static long ticks(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
