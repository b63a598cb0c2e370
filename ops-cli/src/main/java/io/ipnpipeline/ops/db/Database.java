package io.ipnpipeline.ops.db;

import io.ipnpipeline.ops.cli.OpsException;
import io.ipnpipeline.support.db.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * One plain JDBC connection per command: the CLI runs a few queries and exits, so a pool would only hide the
 * reason when PostgreSQL cannot be reached. Read-only unless the caller says otherwise.
 */
public final class Database {

    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");

    private Database() {
    }

    public static Connection connect(DatabaseConfig config) {
        Properties props = new Properties();
        props.setProperty("user", config.user());
        props.setProperty("password", config.password().reveal());
        props.setProperty("ApplicationName", "ipn-ops");
        props.setProperty("connectTimeout", "10");
        try {
            Connection connection = DriverManager.getConnection(config.jdbcUrl(), props);
            connection.setReadOnly(true);
            return connection;
        } catch (SQLException e) {
            throw new OpsException(OpsException.UNREACHABLE, "cannot reach PostgreSQL at " + printable(config.jdbcUrl())
                    + " (" + DatabaseConfig.JDBC_URL + ", user " + config.user() + "): " + e.getMessage(), e);
        }
    }

    /**
     * The URL as it may be printed: the password is a separate variable, but pgjdbc also accepts it as a URL
     * parameter, and an operator may have put it there.
     */
    static String printable(String jdbcUrl) {
        return PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1****");
    }

    /** Whether a table exists in the connection's search path (optional tables of later migrations). */
    public static boolean tableExists(Connection connection, String table) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
