package io.ipnpipeline.registry.leader;

import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.registry.listen.ChangeNotifications;
import io.ipnpipeline.registry.ops.RegistryMetrics;
import io.ipnpipeline.registry.publish.Change;
import io.ipnpipeline.registry.publish.MappingPublisher;
import io.ipnpipeline.registry.publish.PublishedState;
import io.ipnpipeline.registry.publish.Reconciler;
import io.ipnpipeline.registry.publish.TopicSnapshot;
import io.ipnpipeline.registry.table.ChannelTable;
import io.ipnpipeline.registry.table.TableRead;
import io.ipnpipeline.support.db.LeaderSession;
import io.ipnpipeline.support.kafka.TopicCreator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher's one worker thread. Each session opens a dedicated database connection (not pooled: it
 * carries the LISTEN and the leadership lock, both bound to the session), waits as a standby until it holds
 * the lock, then leads: fences earlier producers, LISTENs, reads the topic to its end, resyncs the whole
 * table, and from then on publishes every notified change and resyncs every interval. Any database or Kafka
 * failure ends the session (releasing the lock with the connection); the next one starts after a backoff
 * and begins with a resync, so nothing missed while disconnected stays missed.
 */
public final class PublisherLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PublisherLoop.class);

    private static final int POLL_MS = 250;
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

    private final RegistryConfig config;
    private final RegistryMetrics metrics;
    private final Admin admin;
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile boolean leader;
    private volatile long lastDatabaseContact = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    private volatile int backendPid;
    /** Keys of the rows that cannot be published, as far as this leader knows; only the worker thread uses it. */
    private final Set<String> unusable = new HashSet<>();

    public PublisherLoop(RegistryConfig config, RegistryMetrics metrics, Admin admin) {
        this.config = config;
        this.metrics = metrics;
        this.admin = admin;
    }

    @Override
    public void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping()) {
            try {
                session();
                backoff = FIRST_BACKOFF;
            } catch (SQLException | RuntimeException e) {
                metrics.sessionFailure();
                LOG.warn("{}: session ended ({}), retrying in {} ms", config.instanceName(), e.toString(),
                        backoff.toMillis());
                LOG.debug("session failure", e);
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        LOG.info("{}: publisher stopped", config.instanceName());
    }

    /** Asks the loop to end; it does within about {@value #POLL_MS} ms plus any publish in flight. */
    public void stop() {
        stop.countDown();
    }

    public boolean isLeader() {
        return leader;
    }

    /** The dedicated session's backend pid (0 while disconnected); tests terminate it to kill a leader. */
    public int backendPid() {
        return backendPid;
    }

    /** True when the dedicated session answered recently (leaders every second, standbys every retry). */
    public boolean databaseReachable() {
        long window = Math.max(TimeUnit.SECONDS.toNanos(10), 3 * config.standbyRetry().toNanos());
        return System.nanoTime() - lastDatabaseContact < window;
    }

    private void session() throws SQLException {
        try (Connection connection = connect()) {
            PGConnection pg = connection.unwrap(PGConnection.class);
            backendPid = pg.getBackendPID();
            touched();
            if (awaitLeadership(connection)) {
                lead(connection, pg);
            }
        } finally {
            setLeader(false);
            backendPid = 0;
        }
    }

    private boolean awaitLeadership(Connection connection) throws SQLException {
        boolean announced = false;
        while (!stopping()) {
            boolean acquired = AdvisoryLock.tryAcquire(connection, config.mappingsTopic());
            touched();
            if (acquired) {
                return true;
            }
            if (!announced) {
                // another instance leads and counts them; a stale count here would keep the alert firing
                unusable.clear();
                metrics.unusableRows(0);
                LOG.info("{}: standby, another instance publishes {}; retrying every {} ms", config.instanceName(),
                        config.mappingsTopic(), config.standbyRetry().toMillis());
                announced = true;
            }
            pause(config.standbyRetry());
        }
        return false;
    }

    private void lead(Connection connection, PGConnection pg) throws SQLException {
        String topic = config.mappingsTopic();
        LOG.info("{}: leader for {} (backend pid {})", config.instanceName(), topic, backendPid);
        TopicCreator.ensure(admin, config.topics(), List.of(Topics.CHANNEL_MAPPINGS), config.replicationFactor());
        try (MappingPublisher publisher = MappingPublisher.open(config.bootstrapServers(), topic,
                "channel-registry-" + config.instanceName(), metrics)) {
            setLeader(true);
            listen(connection);
            PublishedState state = TopicSnapshot.read(config.bootstrapServers(), topic,
                    "channel-registry-snapshot-" + config.instanceName(), SNAPSHOT_TIMEOUT);
            resync(connection, publisher, state, "leadership taken");
            long nextResync = System.nanoTime() + config.resyncInterval().toNanos();
            while (!stopping()) {
                PGNotification[] notifications = pg.getNotifications(POLL_MS);
                if (notifications != null && notifications.length > 0) {
                    touched();
                    if (onNotifications(connection, publisher, state, notifications)) {
                        nextResync = 0;
                    }
                } else if (System.nanoTime() - lastDatabaseContact > HEARTBEAT_NANOS) {
                    heartbeat(connection, topic);
                }
                if (System.nanoTime() - nextResync >= 0) {
                    resync(connection, publisher, state, "interval");
                    nextResync = System.nanoTime() + config.resyncInterval().toNanos();
                }
            }
        }
    }

    /** Returns true when the batch asks for a whole-table resync instead. */
    private boolean onNotifications(Connection connection, MappingPublisher publisher, PublishedState state,
            PGNotification[] notifications) throws SQLException {
        metrics.notifications(notifications.length);
        ChangeNotifications.Batch batch = ChangeNotifications.parse(
                Arrays.stream(notifications).map(PGNotification::getParameter).toList());
        if (batch.wholeTable()) {
            return true;
        }
        TableRead rows = ChannelTable.read(connection, batch.ids());
        touched();
        List<String> keys = batch.ids().stream().map(String::valueOf).toList();
        keys.forEach(unusable::remove);
        countUnusable(rows);
        List<Change> changes = Reconciler.forKeys(rows, state, keys);
        publisher.publish(changes, state, true);
        changes.forEach(change -> LOG.info("{} open_channel_id={}",
                change instanceof Change.Upsert ? "published" : "tombstoned", change.key()));
        return false;
    }

    private void resync(Connection connection, MappingPublisher publisher, PublishedState state, String reason)
            throws SQLException {
        metrics.resync();
        TableRead table = ChannelTable.readAll(connection);
        touched();
        unusable.clear();
        countUnusable(table);
        List<Change> changes = Reconciler.wholeTable(table, state);
        publisher.publish(changes, state, false);
        long tombstones = changes.stream().filter(Change.Tombstone.class::isInstance).count();
        if (changes.isEmpty()) {
            LOG.debug("resync ({}): {} usable rows ({} unusable), topic already matches", reason, table.rows().size(),
                    table.unusable().size());
        } else {
            LOG.info("resync ({}): {} usable rows in the table ({} unusable), published {} values and {} tombstones",
                    reason, table.rows().size(), table.unusable().size(), changes.size() - tombstones, tombstones);
        }
    }

    private void countUnusable(TableRead read) {
        unusable.addAll(read.unusable());
        metrics.unusableRows(unusable.size());
    }

    private void heartbeat(Connection connection, String topic) throws SQLException {
        if (!AdvisoryLock.held(connection, topic)) {
            throw new IllegalStateException("the leadership lock is no longer held by this session");
        }
        touched();
    }

    private static void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + ChangeNotifications.CHANNEL);
        }
    }

    private Connection connect() throws SQLException {
        // a server that stops answering ends the session (and leadership) instead of hanging it; server-side
        // keepalives end the session of a leader whose host vanished, so its lock does not outlive it by hours
        Connection connection = LeaderSession.open(config.database(), "channel-registry:" + config.instanceName(),
                CONNECT_TIMEOUT, SOCKET_TIMEOUT);
        connection.setAutoCommit(true);
        return connection;
    }

    private void touched() {
        lastDatabaseContact = System.nanoTime();
    }

    private void setLeader(boolean value) {
        if (leader && !value) {
            LOG.info("{}: no longer the leader", config.instanceName());
        }
        leader = value;
        metrics.leader(value);
    }

    private boolean stopping() {
        return stop.getCount() == 0;
    }

    private void pause(Duration duration) {
        try {
            stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }
}
