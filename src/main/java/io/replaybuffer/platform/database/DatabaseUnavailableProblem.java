package io.replaybuffer.platform.database;

import io.replaybuffer.platform.error.ProblemException;
import java.time.Duration;

/**
 * No database connection could be had in time: PostgreSQL is down, unreachable, restarting, or every pooled
 * connection stayed busy. A read may simply be sent again; a write almost always did nothing, unless the connection
 * broke while it was committing.
 */
public class DatabaseUnavailableProblem extends ProblemException {

    /** About the time readiness takes to notice, so a retry usually lands on a recovered or another replica. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    public DatabaseUnavailableProblem(Throwable cause) {
        super("database-unavailable", "Database unavailable", 503,
                "The service cannot reach its database right now; try again in a few seconds", cause);
    }

    @Override
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
