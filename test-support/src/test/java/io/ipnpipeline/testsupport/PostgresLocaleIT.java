package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The embedded server's cluster is created with the C locale, whatever LANG and LC_* say: initdb refuses to start
 * under a locale the machine has not generated (common: a laptop's en_US.UTF-8 forwarded over ssh to a minimal
 * image), which would fail every database test and the local stack with an opaque "initdb failed".
 */
class PostgresLocaleIT {

    @Test
    void theClusterIsInitialisedWithTheCLocale() throws SQLException {
        try (TestPostgres postgres = TestPostgres.embedded().start();
                TestSchema schema = TestSchema.create(postgres, "pg-locale");
                Connection connection = schema.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT datcollate, datctype, pg_encoding_to_char(encoding) FROM pg_database"
                                + " WHERE datname = current_database()");
                ResultSet row = query.executeQuery()) {
            row.next();
            assertThat(row.getString(1)).isEqualTo("C");
            assertThat(row.getString(2)).isEqualTo("C");
            assertThat(row.getString(3)).isEqualTo("UTF8");
        }
    }
}
