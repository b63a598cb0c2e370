package io.ipnpipeline.support.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Builds the fixed-size HikariCP pools the services use. */
public final class Pools {

    private Pools() {
    }

    /**
     * A fixed-size pool that does not block start-up when the database is down ({@code initializationFailTimeout
     * = -1}): services report unready instead of refusing to start, and recover when it comes back.
     */
    public static HikariDataSource create(DatabaseConfig config, String poolName, int size) {
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
        return new HikariDataSource(hikari);
    }
}
