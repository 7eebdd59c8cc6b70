package io.replaybuffer.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the service's CPU went while it was under load: the CPU samples of a JFR recording
 * ({@code jdk.ExecutionSample}) of its request threads (worker pool and event loops), each counted once for the
 * first of these categories that any frame of its stack belongs to. Also {@code java JfrSplit recording.jfr}.
 */
final class JfrSplit {

    private static final Map<String, Pattern> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("token verification (smallrye-jwt, jose4j, RSA)",
                Pattern.compile("jose4j|smallrye\\.jwt|sun\\.security\\.rsa|java\\.security\\.Signature|MpJwtValidator"));
        CATEGORIES.put("database: driver and pool (pgjdbc, Agroal)", Pattern.compile("org\\.postgresql|io\\.agroal"));
        CATEGORIES.put("database: Hibernate ORM, Panache, transactions",
                Pattern.compile("org\\.hibernate|io\\.quarkus\\.hibernate|com\\.arjuna|narayana|panache"));
        CATEGORIES.put("serialization (Jackson)", Pattern.compile("com\\.fasterxml\\.jackson"));
        CATEGORIES.put("file serving (sendfile, file body handlers)",
                Pattern.compile("sendFile|FileRegion|ServerFileBodyHandler|ServerPathPartBodyHandler|RandomAccessFile"));
        CATEGORIES.put("security checks, CDI request context", Pattern.compile(
                "io\\.quarkus\\.security|io\\.quarkus\\.arc|io\\.quarkus\\.vertx\\.http\\.runtime\\.security"));
        CATEGORIES.put("rate limits, Redis", Pattern.compile("io\\.quarkus\\.redis|io\\.vertx\\.redis|ratelimit"));
        CATEGORIES.put("metrics (Micrometer)", Pattern.compile("io\\.micrometer"));
        CATEGORIES.put("REST routing and filters (Quarkus REST)",
                Pattern.compile("org\\.jboss\\.resteasy\\.reactive|io\\.quarkus\\.resteasy\\.reactive"));
        CATEGORIES.put("HTTP and network (Vert.x, Netty, sockets)", Pattern.compile("io\\.netty|io\\.vertx|sun\\.nio\\.ch"));
        CATEGORIES.put("our code (io.replaybuffer)", Pattern.compile("io\\.replaybuffer"));
    }

    private JfrSplit() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(table(Path.of(args[0])));
    }

    /** A Markdown table: category and share of the request threads' CPU samples, largest first. */
    static String table(Path recording) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            RecordedThread thread = event.getThread("sampledThread");
            String name = thread == null || thread.getJavaName() == null ? "" : thread.getJavaName();
            if (!name.startsWith("executor-thread") && !name.startsWith("vert.x-eventloop-thread")) {
                continue;
            }
            total++;
            counts.merge(category(event.getStackTrace().getFrames()), 1, Integer::sum);
        }
        int samples = total;
        return "| where the CPU went (" + samples + " samples) | share |\n|---|---|\n" + counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .map(e -> String.format(Locale.ROOT, "| %s | %.1f%% |", e.getKey(), 100.0 * e.getValue() / samples))
                .collect(Collectors.joining("\n")) + "\n";
    }

    private static String category(List<RecordedFrame> frames) {
        String stack = frames.stream().map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName())
                .collect(Collectors.joining("\n"));
        return CATEGORIES.entrySet().stream().filter(c -> c.getValue().matcher(stack).find()).map(Map.Entry::getKey)
                .findFirst().orElse("other (JVM, JDK)");
    }
}
