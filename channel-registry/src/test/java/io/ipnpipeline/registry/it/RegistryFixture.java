package io.ipnpipeline.registry.it;

import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.mapping.ChannelMapping;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.registry.RegistryService;
import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.registry.table.ChannelTable;
import io.ipnpipeline.registry.testdata.Channels;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One test class's world: its own schema (migrated, so the V2 trigger is installed), its own topic names on
 * the shared broker, and publishers configured for them. Rows are written through plain JDBC, as the bot does.
 */
public final class RegistryFixture implements AutoCloseable {

    private final TestSchema schema;
    private final TopicNames topics;
    private final String name;
    private final String bootstrapServers;
    private int instances;

    /** On the shared broker of this test JVM. */
    public RegistryFixture(String testName) {
        this(testName, TestInfra.bootstrapServers());
    }

    /** On a broker of the test's own (one it stops and starts). */
    public RegistryFixture(String testName, String bootstrapServers) {
        this.name = testName;
        this.bootstrapServers = bootstrapServers;
        this.schema = TestSchema.create(testName);
        this.topics = TestNames.topics(testName);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public TopicNames topicNames() {
        return topics;
    }

    public String topic() {
        return topics.name(Topics.CHANNEL_MAPPINGS);
    }

    public RegistryConfig config(Duration resyncInterval) {
        return new RegistryConfig(bootstrapServers(), (short) 1, schema.databaseConfig(), topics, resyncInterval,
                Duration.ofMillis(500), 0, name + "-" + (++instances));
    }

    public RegistryService start(Duration resyncInterval) {
        return RegistryService.start(config(resyncInterval));
    }

    /** Waits until {@code service} leads and has made its first resync (so the topic exists), then watches. */
    public TopicWatcher watch(RegistryService service) {
        await().atMost(30, TimeUnit.SECONDS).until(service::isLeader);
        await().atMost(30, TimeUnit.SECONDS).until(() -> service.metrics().resyncs() >= 1);
        return watch();
    }

    public TopicWatcher watch() {
        return new TopicWatcher(bootstrapServers(), topic());
    }

    public void insert(Channels row) {
        Object[] parameters = row.insertParameters();
        update(Channels.INSERT_SQL, parameters);
    }

    public void changeWallet(long openChannelId, String wallet) {
        update("UPDATE main_clients_database SET client_wallet_address = ? WHERE open_channel_id = ?", wallet,
                openChannelId);
    }

    public void delete(long openChannelId) {
        update("DELETE FROM main_clients_database WHERE open_channel_id = ?", openChannelId);
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Turns the change notifications off or on, so only a resync can see what is written meanwhile. */
    public void notifications(boolean enabled) {
        execute("ALTER TABLE main_clients_database " + (enabled ? "ENABLE" : "DISABLE")
                + " TRIGGER main_clients_database_notify");
    }

    /** Ends a publisher's database session, as a crash, a network cut or an operator would. */
    public void terminateBackend(int pid) {
        if (pid == 0) {
            throw new IllegalStateException("publisher has no session to terminate");
        }
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
            statement.setInt(1, pid);
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot terminate backend " + pid, e);
        }
    }

    /** The table as the topic should show it. */
    public Map<String, ChannelMapping> table() {
        try (Connection connection = schema.dataSource().getConnection()) {
            return ChannelTable.readAll(connection).rows();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public ChannelMapping row(long openChannelId) {
        return table().get(Long.toString(openChannelId));
    }

    private void execute(String sql) {
        try (Connection connection = schema.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        schema.close();
    }
}
