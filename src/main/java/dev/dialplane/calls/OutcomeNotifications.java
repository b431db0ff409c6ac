package dev.dialplane.calls;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells every node when a call a caller waits for has its outcome, wherever it was dialed. A
 * caller waits on the node its request reached; the call may be dialed, answered and ended by
 * another node sharing the database. On PostgreSQL the change's transaction sends a
 * {@code NOTIFY} (delivered at commit, never for a rolled-back change) and each node listens on
 * one connection of its own, outside the pool: held for the node's whole life, it must not take a
 * request's place (with a small pool, every request would wait for one fewer). On H2 (one node)
 * nothing is needed.
 */
@Component
class OutcomeNotifications implements SmartLifecycle {

    static final String CHANNEL = "dialplane_call_outcome";
    private static final Logger log = LoggerFactory.getLogger(OutcomeNotifications.class);
    private static final int WAIT_MILLIS = 1_000;
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final boolean postgres;
    private volatile @Nullable Consumer<UUID> outcomes;
    private volatile @Nullable Runnable missed;
    private volatile boolean running;
    private volatile @Nullable Thread listener;

    OutcomeNotifications(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.postgres = isPostgres(dataSource);
    }

    /**
     * @param outcomes given the id of a call another node (or this one) settled
     * @param missed run after the listening connection was lost: notifications sent meanwhile are gone
     */
    void subscribe(Consumer<UUID> outcomes, Runnable missed) {
        this.outcomes = outcomes;
        this.missed = missed;
    }

    /** In the transaction that gives a waited-for call its outcome. */
    void announce(UUID callId) {
        if (postgres) {
            jdbc.sql("select pg_notify(:channel, :id)")
                    .param("channel", CHANNEL)
                    .param("id", callId.toString())
                    .query((rs, row) -> 1)
                    .list();
        }
    }

    @Override
    public void start() {
        if (!postgres || running) {
            return;
        }
        running = true;
        listener = Thread.ofVirtual().name("call-outcome-listener").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        var thread = listener;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        var first = true;
        while (running) {
            try (var connection = listeningConnection()) {
                try (var statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                if (!first) {
                    notifyMissed(); // listening again: what was sent while it was not is gone
                }
                first = false;
                receive(connection);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn(
                        "Listening for call outcomes failed ({}); listening again in {} s",
                        e.getMessage(),
                        RECONNECT_PAUSE.toSeconds());
                try {
                    Thread.sleep(RECONNECT_PAUSE);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void receive(Connection connection) throws SQLException {
        var pg = connection.unwrap(PGConnection.class);
        while (running) {
            // blocks on the socket until a notification arrives or the wait ends: no polling
            var notifications = pg.getNotifications(WAIT_MILLIS);
            if (notifications == null) {
                continue;
            }
            var consumer = outcomes;
            for (var notification : notifications) {
                if (consumer != null) {
                    try {
                        consumer.accept(UUID.fromString(notification.getParameter()));
                    } catch (IllegalArgumentException e) {
                        log.debug("Ignoring a malformed call outcome notification: {}", notification.getParameter());
                    }
                }
            }
        }
        connection.createStatement().execute("unlisten " + CHANNEL);
    }

    /** A connection like the pool's, but not from it; the pool's own when its settings cannot be read. */
    private Connection listeningConnection() throws SQLException {
        if (dataSource.isWrapperFor(HikariDataSource.class)) {
            var pool = dataSource.unwrap(HikariDataSource.class);
            var properties = new Properties();
            properties.putAll(pool.getDataSourceProperties());
            if (pool.getUsername() != null) {
                properties.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                properties.setProperty("password", pool.getPassword());
            }
            return DriverManager.getConnection(pool.getJdbcUrl(), properties);
        }
        return dataSource.getConnection();
    }

    private void notifyMissed() {
        var callback = missed;
        if (callback != null) {
            callback.run();
        }
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (var connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database to learn its kind: " + e.getMessage(), e);
        }
    }
}
