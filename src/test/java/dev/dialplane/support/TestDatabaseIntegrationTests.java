package dev.dialplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The suite cleans up after runs that could not (killed, interrupted), without touching a run in progress. */
class TestDatabaseIntegrationTests {

    private static final String SERVER =
            System.getProperty("dialplane.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");

    @Test
    void tooManyConnectionsIsSaidInThoseWords() {
        var refused = new SQLException("FATAL: sorry, too many clients already", "53300");
        var unreachable = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");

        assertThat(TestDatabase.explain(refused)).startsWith("PostgreSQL refused: too many connections");
        assertThat(TestDatabase.explain(unreachable)).startsWith("PostgreSQL is not reachable");
    }

    @Test
    void staleTestDatabasesAreDroppedAndYoungOnesKept() throws Exception {
        Assumptions.assumeTrue(TestDatabase.postgres(), "test databases are PostgreSQL's");
        var now = Instant.now();
        var stale = TestDatabase.PREFIX + now.minus(Duration.ofHours(3)).getEpochSecond() + "_5ca1ab1e";
        var running = TestDatabase.PREFIX + now.minus(Duration.ofMinutes(30)).getEpochSecond() + "_0ddba115";
        try (var connection = DriverManager.getConnection(SERVER, TestDatabase.username(), TestDatabase.password());
                var statement = connection.createStatement()) {
            statement.execute("create database " + stale);
            statement.execute("create database " + running);
            try {
                TestDatabase.dropStale(connection, now);

                assertThat(databases(connection)).doesNotContain(stale).contains(running);
            } finally {
                statement.execute("drop database if exists " + stale);
                statement.execute("drop database if exists " + running);
            }
        }
    }

    private static List<String> databases(java.sql.Connection connection) throws SQLException {
        var names = new ArrayList<String>();
        try (var rows = connection.createStatement().executeQuery("select datname from pg_database")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }
}
