package io.replaybuffer.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The packaged service ({@code target/quarkus-app}, built by {@code ./mvnw verify} before the integration tests) run
 * as a real process in the prod profile, for what one JVM cannot show: two replicas, and {@code kill -9}. Its log goes
 * to {@code target/it-logs/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path APP = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Map<String, String> env;
    private final int port;
    private List<String> jvmOptions = List.of("-Xmx256m");
    private Process process;
    private int starts;

    /** A replica named {@code name} with this environment (the prod profile's required settings and any extras). */
    public ServiceProcess(String name, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(APP)) {
            throw new IllegalStateException(APP + " is missing: integration tests run after `./mvnw package`");
        }
        this.name = name;
        this.port = TestServices.freePort();
        this.env = new HashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    }

    /**
     * JVM options in place of the default {@code -Xmx256m} (the benchmarks run the chart's settings; the load
     * benchmark adds JFR).
     */
    public ServiceProcess jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    /** The running process' id, for jcmd and /proc. */
    public long pid() {
        return process.pid();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the process and waits until it answers ready. */
    public ServiceProcess start() throws IOException {
        Path log = Files.createDirectories(Path.of("target/it-logs")).resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", APP.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log.toFile())
                        : ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
        try {
            // Generous: on a shared 2-core machine under load the start-up alone has taken 90 s.
            Awaitility.await("replica " + name + " ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("replica " + name + " exited with " + process.exitValue()
                                    + "; see " + log);
                        }
                        return status("/q/health/ready") == 200;
                    });
        } catch (RuntimeException e) {
            close(); // the caller never gets this object to close: do not leave the process running
            throw e;
        }
        return this;
    }

    /** {@code kill -9}: no shutdown hook, no flush, nothing finished. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly(); // SIGKILL on Linux
            waitFor();
        }
    }

    /** The running process, for its CPU time. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted waiting for " + name));
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
