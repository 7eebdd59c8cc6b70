package io.replaybuffer.platform.lease;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Mutual exclusion across replicas: a PostgreSQL session-level advisory lock, held on its own connection for as long
 * as the work it guards. If the holder dies, its connection dies with it and PostgreSQL releases the lock, so the
 * next run on any replica takes over.
 */
@ApplicationScoped
public class AdvisoryLocks {

    private final AgroalDataSource dataSource;

    AdvisoryLocks(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lock, or empty when another session holds it. */
    public Optional<Held> tryAcquire(long lockId) throws SQLException {
        Connection connection = dataSource.getConnection();
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, lockId);
            try (ResultSet result = lock.executeQuery()) {
                if (result.next() && result.getBoolean(1)) {
                    return Optional.of(new Held(connection, lockId));
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** A held lock; closing it releases the lock and returns the connection to the pool. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;
        private final long lockId;

        Held(Connection connection, long lockId) {
            this.connection = connection;
            this.lockId = lockId;
        }

        /** The lock's own connection (auto-commit), for bookkeeping done while holding it. */
        Connection connection() {
            return connection;
        }

        @Override
        public void close() throws SQLException {
            try (connection; PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, lockId);
                unlock.execute();
            }
        }
    }
}
