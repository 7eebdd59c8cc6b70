package io.replaybuffer.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL and Redis for the test suite. Uses the ones on 127.0.0.1 (CI starts them), or those named by
 * TEST_DATABASE_URL / TEST_REDIS_HOSTS; on a machine with neither running, starts embedded ones so that the
 * README's test command works on a fresh clone.
 */
public class TestServices implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres embeddedPostgres;
    private RedisServer embeddedRedis;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.putAll(postgres());
        config.put("quarkus.redis.hosts", redis());
        return config;
    }

    private Map<String, String> postgres() {
        String url = System.getenv("TEST_DATABASE_URL");
        String user = System.getenv().getOrDefault("TEST_DATABASE_USER", "postgres");
        if (url == null && listening(5432)) {
            url = "jdbc:postgresql://127.0.0.1:5432/test";
        }
        if (url == null) {
            try {
                embeddedPostgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("no PostgreSQL on 127.0.0.1:5432 and the embedded one failed", e);
            }
            url = "jdbc:postgresql://127.0.0.1:" + embeddedPostgres.getPort() + "/postgres";
            user = "postgres";
        }
        return Map.of("quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", System.getenv().getOrDefault("TEST_DATABASE_PASSWORD", "postgres"));
    }

    private String redis() {
        String hosts = System.getenv("TEST_REDIS_HOSTS");
        if (hosts != null) {
            return hosts;
        }
        if (listening(6379)) {
            return "redis://127.0.0.1:6379";
        }
        try {
            int port = freePort();
            embeddedRedis = new RedisServer(port);
            embeddedRedis.start();
            return "redis://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException("no Redis on 127.0.0.1:6379 and the embedded one failed", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (embeddedRedis != null) {
                embeddedRedis.stop();
            }
            if (embeddedPostgres != null) {
                embeddedPostgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
