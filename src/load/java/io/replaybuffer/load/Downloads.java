package io.replaybuffer.load;

import io.replaybuffer.testing.Api.Player;
import io.replaybuffer.testing.Clips;
import io.replaybuffer.testing.FakeLiveKit;
import io.replaybuffer.testing.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Locale;

/**
 * Clip downloads beside nginx's sendfile of the same bytes: a small clip (the fake egress' footage, about 2 MB) and a
 * large one (lossless noise, about 200 MB), each fetched whole by 4 keep-alive connections with wrk; beside them
 * bare Vert.x ({@link PeerVertx}), the runtime the service is built on, sending the same file with its defaults (no
 * TCP cork, which nginx' {@code tcp_nopush} and the service's {@code TcpCork} both hold). They take turns for
 * {@link #ROUNDS} rounds and the round with the median ratio is reported: on these shared machines nginx alone moved
 * by a third between two 10 s runs a minute apart, so one pair of runs could say 0.65× or 0.9× of the same build,
 * and the service's first round can still find the JIT compiling.
 */
final class Downloads {

    static final int CONNECTIONS = 4;
    static final int SECONDS = 10;
    static final int WARM_UP_SECONDS = 30;
    static final int ROUNDS = 5;

    private Downloads() {
    }

    /** One file size: its bytes, the median round's throughputs, and every round's ratio. */
    record Result(String name, long bytes, Wrk.Throughput service, Wrk.Throughput nginx, Wrk.Throughput vertx,
            List<Double> rounds) {
        double ratio() {
            return service.megabytesPerSecond() / nginx.megabytesPerSecond();
        }
    }

    /** One round: the service's run, nginx's and bare Vert.x' right after it. */
    private record Round(Wrk.Throughput service, Wrk.Throughput nginx, Wrk.Throughput vertx) {
        double ratio() {
            return service.megabytesPerSecond() / nginx.megabytesPerSecond();
        }
    }

    static void measure(LoadReport report, LoadSeed seed, FakeLiveKit fake, ServiceProcess service, PeerNginx nginx)
            throws Exception {
        try (PeerVertx vertx = new PeerVertx(nginx.www()).start()) {
            measure(report, seed, fake, service, nginx, vertx);
        }
    }

    private static void measure(LoadReport report, LoadSeed seed, FakeLiveKit fake, ServiceProcess service,
            PeerNginx nginx, PeerVertx vertx) throws Exception {
        Player small = Player.joining(fake, "load-small");
        String bufferId = seed.activeBuffer(small, 12).getString("id");
        String smallId = Clips.capture(small.user(), bufferId, Map.of("durationSeconds", 110, "title", "small"))
                .getString("id");
        LoadSeed.awaitReady(small, smallId);
        report.download(compare("small", small, smallId, service, nginx, vertx));
        Player big = Player.joining(fake, "load-big");
        report.download(compare("large", big, seed.bigClip(big, 200_000_000L), service, nginx, vertx));
    }

    private static Result compare(String name, Player owner, String clipId, ServiceProcess service, PeerNginx nginx,
            PeerVertx vertx) throws Exception {
        String url = service.url() + "/api/v1/clips/" + clipId + "/download";
        String bearer = "Bearer " + LoadRun.token(owner.user());
        Path file = Files.createTempFile("load-clip", ".mp4");
        HttpResponse<Path> got = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofFile(file));
        if (got.statusCode() != 200) {
            throw new IllegalStateException("download of " + clipId + ": " + got.statusCode());
        }
        long bytes = Files.size(file);
        String path = "/files/" + name + ".mp4";
        nginx.serve(path, file);
        Files.delete(file);
        // Warm-up of both: the download path is code the API steps did not run, and the JIT needs tens of seconds of
        // it (measured: the first 10 s ran at 60% of the steady rate, with C2 busy).
        Wrk.run(url, bearer, CONNECTIONS, WARM_UP_SECONDS, service.handle());
        Wrk.run(nginx.url() + path, null, CONNECTIONS, 3, nginx.handle());
        Wrk.run(vertx.url() + path, null, CONNECTIONS, WARM_UP_SECONDS, vertx.handle());
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            rounds.add(new Round(Wrk.run(url, bearer, CONNECTIONS, SECONDS, service.handle()),
                    Wrk.run(nginx.url() + path, null, CONNECTIONS, SECONDS, nginx.handle()),
                    Wrk.run(vertx.url() + path, null, CONNECTIONS, SECONDS, vertx.handle())));
        }
        List<Double> ratios = rounds.stream().map(Round::ratio).toList();
        Round median = rounds.stream().sorted(Comparator.comparingDouble(Round::ratio)).toList().get(ROUNDS / 2);
        return new Result(name, bytes, median.service(), median.nginx(), median.vertx(), ratios);
    }

    /** The downloads' section of docs/benchmarks.md. */
    static String table(List<Result> downloads) {
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                ### Clip downloads: service against nginx's sendfile of the same file

                wrk, %d connections, %d s each, whole file per request (bearer token for the service). Bare Vert.x
                (`PeerVertx`: the service's HTTP runtime and nothing else, sending the same file) shows how much of
                the gap is the runtime's. The three take turns for %d rounds; the round with the median
                service/nginx ratio is shown, with every round's ratio after it.

                | clip | size | service | CPU/request | nginx | CPU/request | ratio (each round) | bare Vert.x | CPU/request | its ratio | load |
                |---|---|---|---|---|---|---|---|---|---|---|
                """, Downloads.CONNECTIONS, Downloads.SECONDS, Downloads.ROUNDS));
        for (Downloads.Result d : downloads) {
            md.append(String.format(Locale.ROOT,
                    "| %s | %.1f MB | %.0f MB/s (%.0f req/s) | %.2f ms | %.0f MB/s (%.0f req/s) | %.2f ms | **%.2f×** (%s) "
                            + "| %.0f MB/s | %.2f ms | %.2f× | %s |%n",
                    d.name(), d.bytes() / 1e6, d.service().megabytesPerSecond(), d.service().requestsPerSecond(),
                    d.service().cpuMillisPerRequest(), d.nginx().megabytesPerSecond(), d.nginx().requestsPerSecond(),
                    d.nginx().cpuMillisPerRequest(), d.ratio(), d.rounds().stream()
                            .map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(", ")),
                    d.vertx().megabytesPerSecond(), d.vertx().cpuMillisPerRequest(),
                    d.vertx().megabytesPerSecond() / d.nginx().megabytesPerSecond(), d.service().loadAverage()));
        }
        return md.append('\n').toString();
    }
}
