package io.replaybuffer.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Another replica as PostgreSQL sees it: a session of its own on the test database, e.g. holding a lease's lock. */
public final class OtherReplica {

    private OtherReplica() {
    }

    /** A new session on the service's database (Quarkus tests only: read from the running test's configuration). */
    public static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** A session holding the advisory lock {@code lockId}; closing it (or its death) releases the lock. */
    public static Connection holding(long lockId) throws SQLException {
        Connection other = connect();
        try (Statement statement = other.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_try_advisory_lock(" + lockId + ")")) {
            result.next();
            if (!result.getBoolean(1)) {
                throw new IllegalStateException("advisory lock " + lockId + " is held elsewhere already");
            }
        } catch (SQLException | RuntimeException e) {
            other.close();
            throw e;
        }
        return other;
    }
}
