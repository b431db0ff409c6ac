package dev.dialplane.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.boot.SpringApplication;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The database a test JVM runs against, chosen by the system property {@code dialplane.test.db}:
 * {@code h2} (default) gives each Spring context its own in-memory H2 in PostgreSQL mode;
 * {@code postgres} creates one fresh database for this JVM on the server at
 * {@code dialplane.test.postgres.url} (default 127.0.0.1:5432, user postgres, trust auth).
 * {@link #isolatedUrl()} gives a test a database no other context shares.
 *
 * <p>The suite shares its PostgreSQL server with whatever else runs there, so it keeps its
 * footprint small: each context's pool holds at most {@value #POOL_SIZE} connections, each context
 * has one more listening for call outcomes, and at most two contexts are alive at once
 * ({@code spring.test.context.cache.maxSize} in {@code spring.properties}): with this class's own,
 * 19 connections at most. Every database this JVM created is dropped
 * once Spring has closed its contexts, after a failed run too; one left behind by a run that was
 * killed is dropped by a later run once it is {@link #STALE_AFTER} old (its creation time is in
 * its name), so a run in progress elsewhere on the server keeps its own.
 */
public final class TestDatabase {

    /** Connections of one Spring context's pool; the suite's share of the server stays within 20. */
    public static final int POOL_SIZE = 8;

    static final String PREFIX = "dialplane_test_";
    static final Duration STALE_AFTER = Duration.ofHours(2);
    private static final Pattern NAMED_WITH_TIME = Pattern.compile(PREFIX + "(\\d{10,})_[0-9a-f]{8}");
    private static final String TOO_MANY_CONNECTIONS = "53300";

    private static final String SERVER =
            System.getProperty("dialplane.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getProperty("dialplane.test.postgres.user", "postgres");
    private static final String PASSWORD = System.getProperty("dialplane.test.postgres.password", "");

    private static final Set<String> CREATED = ConcurrentHashMap.newKeySet();
    private static volatile String postgresUrl;
    private static boolean cleanedUp;

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

    /** The data source of a test context: the given database, with the suite's small pool. */
    public static void register(DynamicPropertyRegistry registry, String url) {
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> POOL_SIZE);
    }

    private static synchronized String createPostgresDatabase() {
        var name = PREFIX + Instant.now().getEpochSecond() + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try (var connection = connect();
                var statement = connection.createStatement()) {
            if (!cleanedUp) {
                cleanedUp = true;
                dropStale(connection, Instant.now());
            }
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(explain(e), e);
        }
        if (CREATED.isEmpty()) {
            // after Spring closed every context (so no pool reconnects to a dropped database), even after a failure
            SpringApplication.getShutdownHandlers().add(TestDatabase::dropCreated);
        }
        CREATED.add(name);
        return SERVER.substring(0, SERVER.lastIndexOf('/') + 1) + name;
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(SERVER, USER, PASSWORD);
    }

    static boolean tooManyConnections(SQLException e) {
        return TOO_MANY_CONNECTIONS.equals(e.getSQLState());
    }

    /** What went wrong reaching the server, in words that say what to do. */
    static String explain(SQLException e) {
        if (tooManyConnections(e)) {
            return "PostgreSQL refused: too many connections at " + SERVER + " (" + e.getMessage()
                    + "). Its max_connections "
                    + "are taken by other clients; the suite itself needs at most 20. Close other clients or raise "
                    + "max_connections, then retry.";
        }
        return "PostgreSQL is not reachable at " + SERVER + " as " + USER + " (" + e.getMessage() + "). Start it "
                + "(on the project machines: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), "
                + "point -Ddialplane.test.postgres.url at another server, or run the H2 half only with "
                + "-Ddialplane.skip.postgres=true.";
    }

    /** Drops test databases older than {@link #STALE_AFTER}: left by runs that were killed before they could. */
    static void dropStale(Connection connection, Instant now) throws SQLException {
        var stale = new ArrayList<String>();
        try (var statement = connection.createStatement();
                var rows = statement.executeQuery(
                        "select datname from pg_database where datname like '" + PREFIX.replace("_", "\\_") + "%'")) {
            while (rows.next()) {
                var name = rows.getString(1);
                var created = createdAt(connection, name);
                if (created != null && created.isBefore(now.minus(STALE_AFTER))) {
                    stale.add(name);
                }
            }
        }
        stale.forEach(name -> drop(connection, name));
    }

    /** From its name; for a name without a time (older runs), the server's creation time of its files. */
    private static Instant createdAt(Connection connection, String name) {
        var named = NAMED_WITH_TIME.matcher(name);
        if (named.matches()) {
            return Instant.ofEpochSecond(Long.parseLong(named.group(1)));
        }
        try (var statement = connection.prepareStatement(
                "select (pg_stat_file('base/' || oid || '/PG_VERSION')).modification from pg_database where datname = ?")) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getObject(1, OffsetDateTime.class).toInstant() : null;
            }
        } catch (SQLException notAllowed) {
            return null; // pg_stat_file needs a superuser: leave it to whoever can tell its age
        }
    }

    private static void dropCreated() {
        List<String> names = List.copyOf(CREATED);
        try (var connection = connect()) {
            names.stream().filter(name -> drop(connection, name)).forEach(CREATED::remove);
        } catch (SQLException e) {
            System.err.println("Could not drop test databases " + names + ": " + explain(e));
        }
    }

    /** {@code with (force)}: a connection a closed pool left behind (or a killed run's) does not keep it. */
    private static boolean drop(Connection connection, String name) {
        try (var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name + " with (force)");
            return true;
        } catch (SQLException e) {
            System.err.println("Could not drop test database " + name + ": " + e.getMessage());
            return false;
        }
    }
}
