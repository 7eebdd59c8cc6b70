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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL and Redis for the test suite. Uses the ones on 127.0.0.1 (CI starts them), or those named by
 * TEST_DATABASE_URL / TEST_REDIS_HOSTS; on a machine with neither running, starts embedded ones so that the
 * README's test command works on a fresh clone. Under the {@link Faults} profile the application reaches the same
 * PostgreSQL through a {@link TcpProxy} and gets a {@link ThrowawayRedis} of its own, both injected into the test.
 */
public class TestServices implements QuarkusTestResourceLifecycleManager {

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://)([^/:?]+)(?::(\\d+))?(.*)");

    private EmbeddedPostgres embeddedPostgres;
    private RedisServer embeddedRedis;
    private boolean faults;
    private TcpProxy databaseProxy;
    private ThrowawayRedis throwawayRedis;

    @Override
    public void setContext(Context context) {
        // Compared by name: the profile class may come from another class loader than this one.
        faults = Faults.class.getName().equals(context.testProfile());
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        config.putAll(postgres());
        config.put("quarkus.redis.hosts", redis());
        if (faults) {
            config.put("quarkus.datasource.jdbc.url", throughProxy(config.get("quarkus.datasource.jdbc.url")));
            try {
                throwawayRedis = new ThrowawayRedis(freePort()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.put("quarkus.redis.hosts", throwawayRedis.url());
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        if (faults) {
            injector.injectIntoFields(databaseProxy, new TestInjector.MatchesType(TcpProxy.class));
            injector.injectIntoFields(throwawayRedis, new TestInjector.MatchesType(ThrowawayRedis.class));
        }
    }

    /** The same database, reached through a proxy the test can cut. */
    private String throughProxy(String url) {
        Matcher parts = JDBC_URL.matcher(url);
        if (!parts.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        int port = parts.group(3) == null ? 5432 : Integer.parseInt(parts.group(3));
        try {
            databaseProxy = new TcpProxy(parts.group(2), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts.group(1) + "127.0.0.1:" + databaseProxy.port() + parts.group(4);
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
            if (throwawayRedis != null) {
                throwawayRedis.close();
            }
            if (databaseProxy != null) {
                databaseProxy.close();
            }
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

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
