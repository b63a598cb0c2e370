package io.ipnpipeline.support.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.function.Consumer;

/** Builds the fixed-size HikariCP pools the services use. */
public final class Pools {

    /**
     * How long a pooled connection waits for any answer from the server before it gives the connection up. Without
     * it, a server that vanished without a reset (host death, failover to another address, a dropped NAT flow)
     * holds the waiting thread until the operating system's keepalive gives up, about two hours: a sink would sit
     * on its batch that long. A minute is far above any statement the services run. {@code socketTimeout=N} in
     * {@code PIPELINE_JDBC_URL} overrides it (the URL wins over these properties in pgjdbc).
     */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private Pools() {
    }

    /**
     * A fixed-size pool that does not block start-up when the database is down ({@code initializationFailTimeout
     * = -1}): services report unready instead of refusing to start, and recover when it comes back.
     */
    public static HikariDataSource create(DatabaseConfig config, String poolName, int size) {
        return create(config, poolName, size, hikari -> { });
    }

    /**
     * As {@link #create(DatabaseConfig, String, int)}, with {@code adjust} applied last, before the pool starts
     * (a pool's settings cannot change once it runs): for a service that needs e.g. shorter timeouts or a
     * per-connection {@code connectionInitSql}.
     */
    public static HikariDataSource create(DatabaseConfig config, String poolName, int size,
            Consumer<HikariConfig> adjust) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(poolName);
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password().reveal());
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setConnectionTimeout(2_000);
        hikari.setValidationTimeout(1_000);
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.addDataSourceProperty("ApplicationName", poolName);
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        adjust.accept(hikari);
        return new HikariDataSource(hikari);
    }
}
