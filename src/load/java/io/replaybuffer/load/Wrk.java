package io.replaybuffer.load;

import io.replaybuffer.bench.Measures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk for the download comparison: there the question is bytes per second through a few busy connections (a
 * closed loop is right for that), for the service and for nginx on the same file, one after the other in the run.
 */
final class Wrk {

    private static final Pattern TRANSFER = Pattern.compile("Transfer/sec:\\s+([0-9.]+)([KMG]?B)");
    private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private Wrk() {
    }

    /** Megabytes (10^6) per second and requests per second of {@code connections} for {@code seconds}. */
    record Throughput(double megabytesPerSecond, double requestsPerSecond, double cpuMillisPerRequest,
            String loadAverage) {
    }

    /** wrk against {@code url}, served by {@code server} (whose CPU time is counted). */
    static Throughput run(String url, String authorization, int connections, int seconds, ProcessHandle server)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t", "2", "-c", Integer.toString(connections),
                "-d", seconds + "s"));
        if (authorization != null) {
            command.addAll(List.of("-H", "Authorization: " + authorization));
        }
        command.add(url);
        double cpuBefore = CpuTime.millis(server);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = wrk.waitFor();
        double cpu = CpuTime.millis(server) - cpuBefore;
        if (exit != 0 || out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk " + url + " failed:\n" + out);
        }
        Matcher transfer = TRANSFER.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        if (!transfer.find() || !requests.find()) {
            throw new IllegalStateException("wrk said:\n" + out);
        }
        double factor = switch (transfer.group(2)) {
            case "GB" -> 1024.0 * 1024 * 1024;
            case "MB" -> 1024.0 * 1024;
            case "KB" -> 1024.0;
            default -> 1.0;
        };
        double perSecond = Double.parseDouble(requests.group(1));
        Throughput result = new Throughput(Double.parseDouble(transfer.group(1)) * factor / 1e6, perSecond,
                cpu / (perSecond * seconds), Measures.loadAverage());
        System.out.printf("wrk %s: %.0f MB/s, %.0f req/s, %.2f ms CPU/request, load %s%n", url,
                result.megabytesPerSecond(), result.requestsPerSecond(), result.cpuMillisPerRequest(),
                result.loadAverage());
        return result;
    }
}
