package dev.dialplane.support;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

/**
 * The database a test JVM runs against, chosen by the system property {@code dialplane.test.db}:
 * {@code h2} (default) gives each Spring context its own in-memory H2 in PostgreSQL mode;
 * {@code postgres} creates one fresh database for this JVM on the server at
 * {@code dialplane.test.postgres.url} (default 127.0.0.1:5432, user postgres, trust auth) and drops
 * it when the JVM exits. {@link #isolatedUrl()} gives a test a database no other context shares.
 */
public final class TestDatabase {

    private static final String SERVER = System.getProperty(
            "dialplane.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getProperty("dialplane.test.postgres.user", "postgres");
    private static final String PASSWORD = System.getProperty("dialplane.test.postgres.password", "");

    private static volatile String postgresUrl;

    private TestDatabase() {}

    public static boolean postgres() {
        return "postgres".equals(System.getProperty("dialplane.test.db", "h2"));
    }

    public static String url() {
        if (!postgres()) {
            return "jdbc:h2:mem:dialplane-" + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
        }
        if (postgresUrl == null) {
            synchronized (TestDatabase.class) {
                if (postgresUrl == null) {
                    postgresUrl = createPostgresDatabase();
                }
            }
        }
        return postgresUrl;
    }

    /**
     * A database of the caller's own, never shared with other contexts of this JVM: for a test whose start-up state
     * (sandbox seed encrypted under its own key, say) would leak into the shared one.
     */
    public static String isolatedUrl() {
        return postgres() ? createPostgresDatabase() : url();
    }

    public static String username() {
        return postgres() ? USER : "sa";
    }

    public static String password() {
        return postgres() ? PASSWORD : "";
    }

    private static String createPostgresDatabase() {
        var name = "dialplane_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var connection = DriverManager.getConnection(SERVER, USER, PASSWORD);
                var statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL is not reachable at " + SERVER + " as " + USER + " (" + e.getMessage() + "). Start it "
                            + "(on the project machines: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), "
                            + "point -Ddialplane.test.postgres.url at another server, or run the H2 half only with "
                            + "-Ddialplane.skip.postgres=true.",
                    e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name)));
        return SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + name;
    }

    private static void drop(String name) {
        try (var connection = DriverManager.getConnection(SERVER, USER, PASSWORD);
                var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
        }
    }
}
