package io.ipnpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipnpipeline.gateway.GatewayService;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.localstack.e2e.InJvmPipeline.Part;
import io.ipnpipeline.localstack.ipn.StatusClient;
import io.ipnpipeline.reliability.audit.PipelineAudit;
import io.ipnpipeline.reliability.model.ExpectedState;
import io.ipnpipeline.reliability.traffic.Ledger;
import io.ipnpipeline.reliability.traffic.PaymentPlans;
import io.ipnpipeline.reliability.traffic.PlannedPayment;
import io.ipnpipeline.reliability.traffic.Traffic;
import io.ipnpipeline.registry.RegistryService;
import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.sink.SinkService;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.schema.SchemaMigrator;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * deploy/postgres/least-privilege-roles.sql, applied to a migrated schema: the whole pipeline runs with one login
 * per service (gateway read-only, sink the only writer of the ledger, registry read-only on the registry), the
 * status API answers from its read-only login, and each login is refused what it must not do.
 */
class LeastPrivilegeRolesIT {

    private static final Path SCRIPT = Path.of("..", "deploy", "postgres", "least-privilege-roles.sql");

    @Test
    void thePipelineRunsWithLeastPrivilegeLoginsAndEachIsRefusedWhatItMustNotDo() throws Exception {
        try (InJvmPipeline pipeline = InJvmPipeline.builder("least-privilege")
                .without(Part.REGISTRY, Part.SINK, Part.GATEWAY).start()) {
            applyRoles(pipeline);
            String unique = TestNames.unique("lp").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
            Map<String, String> gatewayEnv = login(pipeline, unique + "_gateway", "ipn_gateway");
            Map<String, String> sinkEnv = login(pipeline, unique + "_sink", "ipn_sink");
            sinkEnv.put(SinkConfig.MIGRATE, "false");
            Map<String, String> registryEnv = login(pipeline, unique + "_registry", "ipn_registry");

            pipeline.startWith(Part.REGISTRY, env -> RegistryService.start(RegistryConfig.fromEnv(Env.of(registryEnv))));
            pipeline.startWith(Part.SINK, env -> SinkService.start(SinkConfig.fromEnv(Env.of(sinkEnv))));
            pipeline.startWith(Part.GATEWAY, env -> GatewayService.start(GatewayConfig.fromEnv(Env.of(gatewayEnv))));

            PaymentPlans.registerChannels(pipeline.schema().dataSource());
            Ledger ledger = new Ledger();
            Instant startedAt = Instant.now();
            List<PlannedPayment> payments = new PaymentPlans(99, 5_900_000_000L, 10).mixed(40);
            try (Traffic traffic = new Traffic(() -> List.of(pipeline.gatewayUrl()), InJvmPipeline.IPN_SECRET,
                    ledger, 4)) {
                traffic.send(payments).get(2, TimeUnit.MINUTES);
            }
            new PipelineAudit(pipeline.schema().dataSource(), pipeline.bootstrapServers(), pipeline.topics(), startedAt)
                    .awaitMatches(ExpectedState.from(ledger), Duration.ofMinutes(2), pipeline::fatal);

            PlannedPayment placed = payments.stream()
                    .filter(payment -> payment.kind() == PlannedPayment.Kind.PLACED).findFirst().orElseThrow();
            StatusClient.Answer answer = new StatusClient(pipeline.gatewayUrl())
                    .status("PGP-" + placed.userId() + "|" + placed.channel().openChannelId());
            assertThat(answer.httpStatus()).as("status API from the read-only login: %s", answer.body()).isEqualTo(200);

            assertRefused(gatewayEnv, "UPDATE payments SET status_word = 'confirmed'");
            assertRefused(gatewayEnv, "DELETE FROM private_channel_users_database");
            assertRefused(gatewayEnv, "INSERT INTO command_outbox (command_id, kind, message_key, payload)"
                    + " VALUES ('payout:1', 'payout', '1', '{}')");
            assertRefused(gatewayEnv, "SELECT count(*) FROM command_outbox");
            assertRefused(sinkEnv, "UPDATE main_clients_database SET client_wallet_address = 'attacker'");
            assertRefused(sinkEnv, "DELETE FROM payments");
            // the restore guard's statements (this run had no restore, so the sink has not needed them yet)
            assertAllowed(sinkEnv, "INSERT INTO command_issued (command_id) VALUES ('invite:0')");
            assertAllowed(sinkEnv, "SELECT setval('command_outbox_outbox_id_seq', last_value) "
                    + "FROM command_outbox_outbox_id_seq");
            assertRefused(registryEnv, "UPDATE main_clients_database SET client_wallet_address = 'attacker'");
            assertRefused(registryEnv, "SELECT count(*) FROM payments");
        }
    }

    /**
     * The script run at V5, then an upgrade migrates to V6 (command_issued, command_outbox_published) without the
     * script being run again: the sink must still be able to do what its command publisher and restore guard do
     * there, or the publisher fails on every retry. Running the script again (as the README asks after every
     * upgrade) narrows the rights to the exact grants.
     */
    @Test
    void anUpgradeAfterTheScriptLeavesTheSinkItsRightsOnTheNewTables() throws Exception {
        try (TestSchema schema = TestSchema.unmigrated("lp-upgrade")) {
            Flyway.configure().dataSource(schema.dataSource()).locations(SchemaMigrator.LOCATION)
                    .schemas(schema.name()).defaultSchema(schema.name()).target("5").load().migrate();
            applyRoles(schema.dataSource());
            SchemaMigrator.migrate(schema.dataSource(), schema.name());

            String unique = TestNames.unique("lpu").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
            Map<String, String> sinkEnv = login(schema.dataSource(), schema.env(), unique + "_sink", "ipn_sink");
            assertSinkUsesTheV6Tables(sinkEnv);

            applyRoles(schema.dataSource());
            assertSinkUsesTheV6Tables(sinkEnv);
            assertRefused(sinkEnv, "DELETE FROM command_issued");
        }
    }

    /** The statements of RestoreGuard and OutboxPublisher on the V6 tables. */
    private static void assertSinkUsesTheV6Tables(Map<String, String> sinkEnv) throws SQLException {
        assertAllowed(sinkEnv, "INSERT INTO command_issued (command_id) SELECT unnest(ARRAY['invite:0']::text[]) "
                + "ON CONFLICT DO NOTHING");
        assertAllowed(sinkEnv, "SELECT count(*) FROM command_outbox o LEFT JOIN command_issued i "
                + "ON i.command_id = o.command_id");
        assertAllowed(sinkEnv, "INSERT INTO command_outbox_published (publisher, position) VALUES ('p', 1) "
                + "ON CONFLICT (publisher) DO UPDATE SET position = excluded.position, updated_at = now()");
        assertAllowed(sinkEnv, "SELECT position FROM command_outbox_published WHERE publisher = 'p'");
    }

    private static void applyRoles(InJvmPipeline pipeline) throws Exception {
        applyRoles(pipeline.schema().dataSource());
    }

    private static void applyRoles(DataSource schemaOwner) throws Exception {
        try (Connection owner = schemaOwner.getConnection();
                Statement statement = owner.createStatement()) {
            statement.execute(Files.readString(SCRIPT));
            // idempotent: a second run changes nothing and does not fail
            statement.execute(Files.readString(SCRIPT));
        }
    }

    /** A login in {@code group}; the returned variables are the pipeline's with this login's credentials. */
    private static Map<String, String> login(InJvmPipeline pipeline, String name, String group) throws SQLException {
        return login(pipeline.schema().dataSource(), pipeline.env(), name, group);
    }

    private static Map<String, String> login(DataSource schemaOwner, Map<String, String> baseEnv, String name,
            String group) throws SQLException {
        try (Connection owner = schemaOwner.getConnection();
                Statement statement = owner.createStatement()) {
            statement.execute("CREATE ROLE " + name + " LOGIN PASSWORD 'pw-" + name + "' IN ROLE " + group);
        }
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("PIPELINE_DB_USER", name);
        env.put("PIPELINE_DB_PASSWORD", "pw-" + name);
        return env;
    }

    /** Runs {@code sql} in a transaction it rolls back (setval is not transactional: use a harmless value). */
    private static void assertAllowed(Map<String, String> env, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(env.get("PIPELINE_JDBC_URL"),
                env.get("PIPELINE_DB_USER"), env.get("PIPELINE_DB_PASSWORD"));
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute(sql);
            connection.rollback();
        }
    }

    private static void assertRefused(Map<String, String> env, String sql) {
        assertThatThrownBy(() -> {
            try (Connection connection = DriverManager.getConnection(env.get("PIPELINE_JDBC_URL"),
                    env.get("PIPELINE_DB_USER"), env.get("PIPELINE_DB_PASSWORD"));
                    Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as("%s as %s", sql, env.get("PIPELINE_DB_USER"))
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
}
