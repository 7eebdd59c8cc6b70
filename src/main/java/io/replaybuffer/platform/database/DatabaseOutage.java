package io.replaybuffer.platform.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Tells "the database could not be reached" apart from every other failure, by walking an exception's causes: the
 * same outage arrives wrapped by Hibernate, Narayana, the cache or Panache depending on where it struck.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    /** The failure that shows the database unreachable, if {@code failure} has one among its causes. */
    public static Optional<Throwable> in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && isConnectionFailure(sql)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static boolean isConnectionFailure(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        // Agroal's "acquisition timeout": no connection within quarkus.datasource.jdbc.acquisition-timeout. It has
        // no SQL state; its cause is the timeout itself.
        if (e.getCause() instanceof TimeoutException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        // Class 08: connection exception (refused, reset, timed out: PgJDBC's 08001 and 08006). 57P01-57P03: the
        // server is shutting down, crashed, or is still starting. 53300: it accepts no more connections.
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("53300");
    }
}
