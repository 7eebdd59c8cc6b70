package io.replaybuffer.cleanup;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Makes exactly one replica sweep at a time: a PostgreSQL session-level advisory lock, held on its own connection
 * for the length of the sweep. Released when the sweep ends; if the holder dies, its connection dies with it and
 * PostgreSQL releases the lock, so the next sweep on any replica finishes the job.
 */
@ApplicationScoped
public class SweepLease {

    /** An arbitrary, fixed lock id for "the segment sweep". */
    static final long LOCK_ID = 0x5265706c61794275L;

    private final AgroalDataSource dataSource;

    SweepLease(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The lease, or empty when another sweep holds it. */
    public Optional<Held> tryAcquire() throws SQLException {
        Connection connection = dataSource.getConnection();
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, LOCK_ID);
            try (ResultSet result = lock.executeQuery()) {
                if (result.next() && result.getBoolean(1)) {
                    return Optional.of(new Held(connection));
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return Optional.empty();
    }

    /** A held lease; closing it releases the lock and returns the connection. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;

        Held(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() throws SQLException {
            try (connection; PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                unlock.setLong(1, LOCK_ID);
                unlock.execute();
            }
        }
    }
}
