package io.replaybuffer.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What replicas started as processes share, as production replicas do: one fresh database on the test PostgreSQL,
 * one Redis database, one segments and one clips folder, the fake LiveKit, one signing key; plus the prod profile's
 * required settings with the development JWT key.
 */
public final class ItEnvironment implements AutoCloseable {

    private final String adminUrl;
    private final String user;
    private final String password;
    private final String database;
    private final Path data;
    private final Map<String, String> env = new HashMap<>();

    private ItEnvironment(String adminUrl, String user, String password, String database, Path data) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.database = database;
        this.data = data;
    }

    /** A fresh database and data folder named after {@code name}; replicas get {@link #env()}. */
    public static ItEnvironment fresh(String name, FakeLiveKit liveKit) throws IOException, SQLException {
        String adminUrl = System.getenv().getOrDefault("TEST_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getenv().getOrDefault("TEST_DATABASE_USER", "postgres");
        String password = System.getenv().getOrDefault("TEST_DATABASE_PASSWORD", "postgres");
        String database = ("it_" + name + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase();
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        Path data = Files.createDirectories(Path.of("target/it-data", database)).toAbsolutePath();
        ItEnvironment it = new ItEnvironment(adminUrl, user, password, database, data);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        it.env.putAll(Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", it.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", user,
                "QUARKUS_DATASOURCE_PASSWORD", password,
                "QUARKUS_REDIS_HOSTS", System.getenv().getOrDefault("TEST_REDIS_HOSTS", "redis://127.0.0.1:6379/9"),
                "MP_JWT_VERIFY_ISSUER", "replay-buffer-dev",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", Path.of("scripts/dev-jwt/public.pem").toAbsolutePath().toString(),
                "REPLAY_SIGNING_KEY", Base64.getEncoder().encodeToString(key),
                "REPLAY_SEGMENTS_PATH", data.resolve("segments").toString(),
                "REPLAY_CLIPS_PATH", data.resolve("clips").toString()));
        it.env.putAll(Map.of(
                "LIVEKIT_URL", liveKit.url(),
                "LIVEKIT_API_KEY", FakeLiveKit.API_KEY,
                "LIVEKIT_API_SECRET", FakeLiveKit.API_SECRET));
        return it;
    }

    /** The replicas' environment; add to it before starting them. */
    public Map<String, String> env() {
        return env;
    }

    public String jdbcUrl() {
        return adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1) + database;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    public Path segments() {
        return data.resolve("segments");
    }

    public Path clips() {
        return data.resolve("clips");
    }

    @Override
    public void close() throws SQLException {
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
