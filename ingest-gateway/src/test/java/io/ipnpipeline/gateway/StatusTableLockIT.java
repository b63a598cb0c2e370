package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A lock on the status tables (pg_dump's ACCESS SHARE with an ALTER TABLE queued behind it, or the ALTER itself)
 * must cost status polls a quick 503, never the gateway's readiness: PostgreSQL still answers, and a gateway
 * taken out of rotation stops IPN intake too, which never needs PostgreSQL.
 */
class StatusTableLockIT {

    private static final int POLLS = 8;
    private static final String ORDER = "/api/payment-status?order_id=PGP-123456789%7C-1003000000001";

    private static TestSchema schema;
    private static ExecutorService pool;
    private GatewayService gateway;

    @BeforeAll
    static void createSchema() {
        schema = TestSchema.create("gateway-status-lock");
        // the polls, a caller waiting on them, and the readiness prober
        pool = Executors.newFixedThreadPool(2 * POLLS + 2);
    }

    @AfterAll
    static void dropSchema() {
        pool.shutdownNow();
        schema.close();
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private GatewayClient start(Map<String, String> extra) {
        Map<String, String> env = Gateways.env(TestInfra.bootstrapServers(),
                TestNames.topics("gateway-status-lock"), schema.env());
        env.putAll(extra);
        gateway = Gateways.start(env);
        GatewayClient client = new GatewayClient(gateway.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/ready").statusCode() == 200);
        // every status connection opened and used once, so the lock below is the only thing polls wait on
        assertThat(polls(client)).allSatisfy(poll -> assertThat(poll.response.statusCode()).isEqualTo(200));
        return client;
    }

    @Test
    void pollsGetA503QuicklyWhileTheTableIsLockedAndAnswerAgainAfterwards() throws Exception {
        GatewayClient client = start(Map.of());
        List<Poll> during;
        List<Integer> readiness;
        try (Connection lock = lockTheSubscriptionTable()) {
            Probing probing = probeReadiness(client);
            CompletableFuture<List<Poll>> polled = CompletableFuture.supplyAsync(() -> polls(client), pool);
            // unbounded, they would wait for the lock's holder (here: until the test gives up on them)
            assertThat(polled).succeedsWithin(Duration.ofSeconds(5));
            during = polled.join();
            readiness = probing.stop();
            lock.rollback();
        }

        assertThat(during).allSatisfy(poll -> {
            assertThat(poll.response.statusCode()).isEqualTo(503);
            assertThat(poll.response.headers().firstValue("Retry-After")).isPresent();
            GatewayClient.assertNoInternals(poll.response);
            // lock_timeout (500 ms) per wave of four: not the 60 s socket timeout, nor the lock's holder
            assertThat(poll.elapsed).isLessThan(Duration.ofSeconds(3));
        });
        assertThat(readiness).isNotEmpty().containsOnly(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(polls(client))
                .allSatisfy(poll -> assertThat(poll.response.statusCode()).isEqualTo(200)));
    }

    /**
     * Polls that hold every status connection for a long time (as any slow status query could) leave readiness
     * its own connection: it answers 200 while they wait, not after Hikari's 2 s wait for a status connection.
     */
    @Test
    void readinessAnswersWhileStatusPollsHoldEveryStatusConnection() throws Exception {
        GatewayClient client = start(Map.of(GatewayConfig.DB_STATEMENT_TIMEOUT_MS, "6000",
                GatewayConfig.DB_LOCK_TIMEOUT_MS, "6000"));
        List<Integer> readiness;
        try (Connection lock = lockTheSubscriptionTable()) {
            CompletableFuture<List<Poll>> waiting = CompletableFuture.supplyAsync(() -> polls(client), pool);
            Thread.sleep(300);
            Probing probing = probeReadiness(client);
            Thread.sleep(4_000);
            readiness = probing.stop();
            assertThat(waiting).isNotDone();
            lock.rollback();
            waiting.get();
        }
        assertThat(readiness).isNotEmpty().containsOnly(200);
    }

    private static Connection lockTheSubscriptionTable() throws SQLException {
        Connection connection = schema.dataSource().getConnection();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE private_channel_users_database IN ACCESS EXCLUSIVE MODE");
        }
        return connection;
    }

    /** {@link #POLLS} status polls at once, each with how long it took. */
    private static List<Poll> polls(GatewayClient client) {
        List<CompletableFuture<Poll>> polls = IntStream.range(0, POLLS)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    HttpResponse<String> response = client.get(ORDER);
                    return new Poll(response, Duration.ofNanos(System.nanoTime() - start));
                }, pool))
                .toList();
        return polls.stream().map(CompletableFuture::join).toList();
    }

    /** Asks {@code /health/ready} on the public port (what balancers ask) every 100 ms until stopped. */
    private static Probing probeReadiness(GatewayClient client) {
        Probing probing = new Probing();
        probing.done = CompletableFuture.runAsync(() -> {
            while (!probing.stop.get()) {
                probing.statuses.add(client.get("/health/ready").statusCode());
                sleep(100);
            }
        }, pool);
        return probing;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final class Probing {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Integer> statuses = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done;

        List<Integer> stop() {
            stop.set(true);
            done.join();
            return List.copyOf(statuses);
        }
    }

    private record Poll(HttpResponse<String> response, Duration elapsed) {
    }
}
