package io.replaybuffer.bench;

import java.lang.management.ManagementFactory;

/**
 * Java heap allocated by the build threads (clip-build-*) between start and stop: what a build costs the heap,
 * without the noise of the test harness sharing the JVM. The media itself lives in native buffers.
 */
final class BuildHeapWatch {

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long before;
    private long peak;

    void start() {
        before = allocatedByBuilds();
    }

    void stop() {
        peak = Math.max(peak, allocatedByBuilds() - before);
    }

    /** The most any one start–stop span allocated, in bytes. */
    long peakAboveBaseline() {
        return peak;
    }

    private long allocatedByBuilds() {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("clip-build-")) {
                total += Math.max(0, threads.getThreadAllocatedBytes(thread.getId()));
            }
        }
        return total;
    }
}
