package io.replaybuffer.bench;

import io.replaybuffer.deploy.ChartJvm;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.ItEnvironment;
import io.replaybuffer.testing.ServiceProcess;
import io.replaybuffer.testing.Trees;
import io.restassured.RestAssured;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The packaged service as one process with the chart's JVM settings, holding many active buffers while it serves
 * players, for minutes: heap after full GC, metaspace, resident memory, threads, Redis and database use over time.
 * {@code soak}: 200 buffers for 20 minutes (SOAK_BUFFERS, SOAK_MINUTES); {@code scale}: 1,000 buffers on a 256 MiB
 * heap (SCALE_BUFFERS, SCALE_MINUTES). Samples every SOAK_SAMPLE_SECONDS (30); players make SOAK_RPS requests a second.
 */
final class SoakBench implements Benchmarks.Benchmark {

    private final String name;
    private final int buffers;
    private final Duration length;
    private final List<String> extraJvm;

    private SoakBench(String name, int buffers, Duration length, List<String> extraJvm) {
        this.name = name;
        this.buffers = buffers;
        this.length = length;
        this.extraJvm = extraJvm;
    }

    static SoakBench soak() {
        return new SoakBench("soak", env("SOAK_BUFFERS", 200), Duration.ofMinutes(env("SOAK_MINUTES", 20)), List.of());
    }

    static SoakBench scale() {
        return new SoakBench("scale", env("SCALE_BUFFERS", 1000), Duration.ofMinutes(env("SCALE_MINUTES", 5)),
                List.of("-Xmx256m"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String run() throws Exception {
        int sampleSeconds = env("SOAK_SAMPLE_SECONDS", 30);
        int rps = env("SOAK_RPS", 20);
        List<String> jvm = new ArrayList<>(ChartJvm.backendOptions());
        jvm.addAll(extraJvm); // after the chart's: the last -Xmx wins
        jvm.add("-XX:NativeMemoryTracking=summary");
        double loadBefore = SoakProbe.loadAverage();
        try (FakeLiveKit fake = new FakeLiveKit(); ItEnvironment it = ItEnvironment.fresh(name, fake)) {
            ServiceProcess service = new ServiceProcess("bench-" + name, it.env()).jvmOptions(jvm).start();
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4);
            try (service; Connection db = it.connect()) {
                RestAssured.port = service.port();
                fake.webhookTarget(URI.create(service.url() + "/api/v1/livekit/webhook"));
                SoakProbe probe = new SoakProbe(service.pid(), SoakProbe.redisDb());
                List<SoakProbe.Sample> samples = new ArrayList<>();
                SoakProbe.Sample idle = probe.sample(0, db);
                SoakFleet fleet = new SoakFleet(fake, it.segments().getParent().resolve("footage"));
                fleet.recordOn(scheduler);
                long t0 = System.nanoTime();
                fleet.start(buffers);
                double setup = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%d buffers started in %.0f s%n", buffers, setup);
                SoakTraffic traffic = new SoakTraffic(service.url(), fleet);
                traffic.start(scheduler, rps);
                long start = System.nanoTime();
                List<SoakTraffic.Window> windows = new ArrayList<>();
                while (true) {
                    double minutes = (System.nanoTime() - start) / 6e10;
                    SoakProbe.Sample s = probe.sample(minutes, db);
                    samples.add(s);
                    windows.add(traffic.drain());
                    System.out.println(s + " " + windows.get(windows.size() - 1));
                    if (minutes * 60 >= length.toSeconds()) {
                        break;
                    }
                    Thread.sleep(Math.min(sampleSeconds * 1000L, Math.max(1000, length.toMillis() - (long) (minutes * 6e4))));
                }
                scheduler.shutdownNow();
                Map<String, Double> nmt = probe.nativeMemory();
                SoakReport report = new SoakReport(name, buffers, length, jvm, loadBefore, SoakProbe.loadAverage(),
                        setup, fleet.segmentBytes(), idle, samples, windows, traffic.totals(), nmt,
                        SoakReport.sweeps(Path.of("target/it-logs/bench-" + name + ".log")), rps);
                Path png = Path.of("docs/images/" + name + "-memory.png");
                Files.createDirectories(png.getParent());
                SoakPlot.write(png, report.title(), samples);
                return report.markdown(png);
            } finally {
                scheduler.shutdownNow();
                Trees.deleteTree(it.segments().getParent());
            }
        }
    }

    private static int env(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
