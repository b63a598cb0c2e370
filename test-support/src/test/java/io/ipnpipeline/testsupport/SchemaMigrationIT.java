package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SchemaMigrationIT {

    private static TestSchema schema;

    @BeforeAll
    static void migrate() {
        schema = TestSchema.create("schema-migration");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    @Test
    void freshSchemaHasThePipelineTables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            query.setString(1, schema.name());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        assertThat(tables).contains("main_clients_database", "private_channel_users_database", "payments");
    }

    @Test
    void jdbcUrlPointsAtTheSchemaWithoutQualifying() throws SQLException {
        try (Connection connection = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password());
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM payments");
                ResultSet rows = query.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isZero();
        }
    }

    @Test
    void twoSchemasAreIndependent() {
        try (TestSchema other = TestSchema.create("schema-migration")) {
            assertThat(other.name()).isNotEqualTo(schema.name());
            assertThat(other.jdbcUrl()).endsWith("currentSchema=" + other.name());
        }
    }
}
