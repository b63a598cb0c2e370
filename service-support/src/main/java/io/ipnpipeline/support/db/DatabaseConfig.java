package io.ipnpipeline.support.db;

import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.config.Secret;

/**
 * Where PostgreSQL is: {@code PIPELINE_JDBC_URL}, {@code PIPELINE_DB_USER}, {@code PIPELINE_DB_PASSWORD}.
 * Shared by every service that talks to the database, so the variables mean the same everywhere.
 */
public record DatabaseConfig(String jdbcUrl, String user, Secret password) {

    public static final String JDBC_URL = "PIPELINE_JDBC_URL";
    public static final String USER = "PIPELINE_DB_USER";
    public static final String PASSWORD = "PIPELINE_DB_PASSWORD";

    public DatabaseConfig {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException(JDBC_URL + " must be a jdbc:postgresql: URL, got '" + jdbcUrl + "'");
        }
    }

    public static DatabaseConfig fromEnv(Env env) {
        return new DatabaseConfig(
                env.string(JDBC_URL, "jdbc:postgresql://127.0.0.1:5432/ipn_pipeline"),
                env.string(USER, "ipn_pipeline"),
                env.secret(PASSWORD, ""));
    }
}
