package io.replaybuffer.platform.database;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database cannot be reached" (503) and which stay bugs or bad data (500). */
class DatabaseOutageCausesTest {

    @Test
    void connectionFailuresAreFoundUnderWhateverWrapsThem() {
        SQLException refused = new SQLException("Connection refused", "08001");
        assertThat(DatabaseOutage.in(new PersistenceException("wrapped", new RuntimeException(refused)))).contains(refused);
        assertThat(DatabaseOutage.in(new SQLException("I/O error", "08006"))).isPresent();
        assertThat(DatabaseOutage.in(new SQLException("the database system is starting up", "57P03"))).isPresent();
        assertThat(DatabaseOutage.in(new SQLException("Acquisition timeout while waiting for new connection",
                new TimeoutException()))).isPresent();
    }

    @Test
    void otherDatabaseErrorsAreNotAnOutage() {
        assertThat(DatabaseOutage.in(new SQLException("duplicate key", "23505"))).isEmpty();
        assertThat(DatabaseOutage.in(new SQLException("syntax error", "42601"))).isEmpty();
        assertThat(DatabaseOutage.in(new SQLException("no state"))).isEmpty();
        assertThat(DatabaseOutage.in(new IllegalStateException("not SQL at all"))).isEmpty();
    }
}
