package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Contract 5: the status API answers from what PostgreSQL holds, with the words of design.md and nothing else. */
class PaymentStatusIT {

    private static final String ORIGIN = "https://pay.example";
    private static final AtomicLong USERS = new AtomicLong(900_000_000L);
    private static final AtomicLong CHANNELS = new AtomicLong(1_000_000L);
    private static final AtomicLong PAYMENTS = new AtomicLong(9_000_000_000L);
    private static final Instant T0 = Instant.parse("2025-11-07T11:51:20.364Z");

    private static TestSchema schema;
    private static GatewayService gateway;
    private static GatewayClient client;

    @BeforeAll
    static void start() {
        schema = TestSchema.create("gateway-status");
        Map<String, String> env = Gateways.env(TestInfra.bootstrapServers(), TestNames.topics("gateway-status"),
                schema.env());
        env.put(GatewayConfig.CORS_ORIGINS, ORIGIN);
        gateway = Gateways.start(env);
        client = new GatewayClient(gateway.port());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        schema.close();
    }

    /** A user and an open channel (registered, with its closed channel), ready for rows. */
    private record Order(long userId, long openChannelId, long closedChannelId) {
        String id() {
            return "PGP-" + userId + "|" + openChannelId;
        }
    }

    private static Order newOrder() {
        long channel = CHANNELS.incrementAndGet();
        Order order = new Order(USERS.incrementAndGet(), -1_003_000_000_000L - channel,
                -1_004_000_000_000L - channel);
        sql("INSERT INTO main_clients_database (open_channel_id, closed_channel_id, client_wallet_address,"
                + " client_payout_currency, client_payout_network, sub_1_price, sub_1_time) VALUES (?, ?, 'w', 'eth', 'eth', 2.50, 30)",
                order.openChannelId, order.closedChannelId);
        return order;
    }

    private static void ledger(Order order, String word, Instant firstSeen, Instant updated) {
        sql("INSERT INTO payments (payment_id, order_id, user_id, open_channel_id, status, status_rank, status_word,"
                + " last_ipn, first_seen_at, updated_at) VALUES (?, ?, ?, ?, 'finished', 60, ?, '{}'::jsonb, ?, ?)",
                PAYMENTS.incrementAndGet(), order.id(), order.userId, order.openChannelId, word,
                Timestamp.from(firstSeen), Timestamp.from(updated));
    }

    private static void subscription(Order order, String word, Instant updated) {
        sql("INSERT INTO private_channel_users_database (user_id, private_channel_id, payment_status, updated_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, private_channel_id)"
                + " DO UPDATE SET payment_status = EXCLUDED.payment_status, updated_at = EXCLUDED.updated_at",
                order.userId, order.closedChannelId, word, Timestamp.from(updated));
    }

    private static void sql(String statement, Object... values) {
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement prepared = connection.prepareStatement(statement)) {
            for (int i = 0; i < values.length; i++) {
                prepared.setObject(i + 1, values[i]);
            }
            prepared.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> status(String orderId) {
        return client.get("/api/payment-status?order_id=" + URLEncoder.encode(orderId, StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void everyWordInTheLedgerIsAnsweredWithOnlyTheFourFields() {
        for (StatusWord word : StatusWord.values()) {
            Order order = newOrder();
            ledger(order, word.word(), T0, T0.plusSeconds(5));

            HttpResponse<String> response = status(order.id());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode body = json(response);
            assertThat(fields(body)).containsExactly("order_id", "status", "updated_at", "message");
            assertThat(body.get("order_id").asText()).isEqualTo(order.id());
            assertThat(body.get("status").asText()).isEqualTo(word.word());
            assertThat(Instant.parse(body.get("updated_at").asText())).isEqualTo(T0.plusSeconds(5));
            assertThat(body.get("message").asText()).isNotBlank();
        }
    }

    @Test
    void unknownOrderIsPendingNotAnError() {
        HttpResponse<String> response = status("PGP-123456789|-1009999999999");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("pending");
        assertThat(body.get("updated_at").isNull()).isTrue();
    }

    @Test
    void theBotsSubscriptionRowAnswersWhenTheLedgerHasNothing() {
        Order order = newOrder();
        subscription(order, "pending", T0);
        assertThat(json(status(order.id())).get("status").asText()).isEqualTo("pending");
        assertThat(json(status(order.id())).get("updated_at").asText()).isEqualTo(T0.toString());
        subscription(order, "confirmed", T0.plusSeconds(60));
        assertThat(json(status(order.id())).get("status").asText()).isEqualTo("confirmed");
    }

    @Test
    void theNewerOfLedgerAndSubscriptionRowWins() {
        Order order = newOrder();
        ledger(order, "confirmed", T0, T0.plusSeconds(10));
        subscription(order, "confirmed", T0.plusSeconds(10));
        assertThat(json(status(order.id())).get("status").asText()).isEqualTo("confirmed");

        // a renewal invoice: the bot resets the row to pending; last month's payment must not answer for it
        subscription(order, "pending", T0.plusSeconds(86_400));
        assertThat(json(status(order.id())).get("status").asText()).isEqualTo("pending");

        // the renewal's first IPN is applied: the newest payment answers
        ledger(order, "processing", T0.plusSeconds(86_500), T0.plusSeconds(86_500));
        assertThat(json(status(order.id())).get("status").asText()).isEqualTo("processing");
    }

    /**
     * Found by review: a bot that resets the row for a renewal without touching updated_at left last month's
     * payment newer (it wins ties), and the customer saw "confirmed" for an invoice not yet paid.
     */
    @Test
    void aRenewalResetThatDoesNotSetUpdatedAtStillAnswersPending() {
        Order order = newOrder();
        ledger(order, "confirmed", T0, T0.plusSeconds(10));
        subscription(order, "confirmed", T0.plusSeconds(10));

        sql("UPDATE private_channel_users_database SET payment_status = 'pending'"
                + " WHERE user_id = ? AND private_channel_id = ?", order.userId, order.closedChannelId);

        assertThat(json(status(order.id())).get("status").asText()).isEqualTo("pending");
    }

    /**
     * Found by review: a bot table whose updated_at had no default left NULL on rows (the bot's, or the sink's
     * before it wrote the column), and the repository's toInstant() threw: 503 for that customer forever. Such a
     * row counts as the oldest: it answers alone, and any dated row beats it.
     */
    @Test
    void aSubscriptionRowWithoutUpdatedAtIsTheOldestNotAnError() {
        sql("ALTER TABLE private_channel_users_database ALTER COLUMN updated_at DROP NOT NULL");
        Order alone = newOrder();
        sql("INSERT INTO private_channel_users_database (user_id, private_channel_id, payment_status, updated_at)"
                + " VALUES (?, ?, 'pending', NULL)", alone.userId, alone.closedChannelId);
        Order paid = newOrder();
        ledger(paid, "confirmed", T0, T0.plusSeconds(10));
        sql("INSERT INTO private_channel_users_database (user_id, private_channel_id, payment_status, updated_at)"
                + " VALUES (?, ?, 'pending', NULL)", paid.userId, paid.closedChannelId);

        HttpResponse<String> response = status(alone.id());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("pending");
        assertThat(json(response).get("updated_at").isNull()).isTrue();
        HttpResponse<String> ledgerWins = status(paid.id());
        assertThat(ledgerWins.statusCode()).isEqualTo(200);
        assertThat(json(ledgerWins).get("status").asText()).isEqualTo("confirmed");
        assertThat(json(ledgerWins).get("updated_at").asText()).isEqualTo(T0.plusSeconds(10).toString());
    }

    @Test
    void olderOrderIdFormsFindTheSamePayment() {
        Order order = newOrder();
        ledger(order, "confirmed", T0, T0);
        String dashLost = "PGP-" + order.userId + "-" + (-order.openChannelId);
        String dashDoubled = "PGP-" + order.userId + "--" + (-order.openChannelId);
        assertThat(json(status(dashLost)).get("status").asText()).isEqualTo("confirmed");
        assertThat(json(status(dashDoubled)).get("status").asText()).isEqualTo("confirmed");
    }

    @Test
    void unparseableOrderIdIs400() {
        for (String bad : new String[] {"", "nonsense", "PGP-1|1", "PGP-x|-100", "PGP-1|-1' OR '1'='1"}) {
            HttpResponse<String> response = status(bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
            GatewayClient.assertNoInternals(response);
        }
        assertThat(client.get("/api/payment-status").statusCode()).isEqualTo(400);
    }

    /**
     * Found by review: a query string Netty cannot decode ({@code %zz}, a lone {@code %}) made the parameter lookup
     * throw, which answered 500 and logged a stack trace at ERROR. It is an unparseable order id like any other.
     * Sent over a raw socket: {@link java.net.URI} refuses to build such a request.
     */
    @Test
    void anUndecodableQueryIs400AndNotAnError() throws IOException {
        String valid = URLEncoder.encode(newOrder().id(), StandardCharsets.UTF_8);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            for (String query : new String[] {"order_id=%zz", "order_id=%", "order_id=" + valid + "&x=%zz"}) {
                try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                    socket.setSoTimeout(8_000);
                    IpnTestServer.send(socket, "GET /api/payment-status?" + query + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(IpnTestServer.readResponse(socket.getInputStream())).as(query)
                            .startsWith("HTTP/1.1 400")
                            .containsIgnoringCase("cache-control: no-store")
                            .contains("{\"error\":\"order_id is missing or not a valid order id\"");
                }
            }
            assertThat(logs.list).filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
        } finally {
            root.detachAppender(logs);
        }
    }

    @Test
    void corsAllowsTheConfiguredOrigin() {
        Order order = newOrder();
        HttpResponse<String> response = client.get("/api/payment-status?order_id="
                + URLEncoder.encode(order.id(), StandardCharsets.UTF_8), Map.of("Origin", ORIGIN));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    }

    @Test
    void databaseDownIs503NotA500() {
        Map<String, String> env = Gateways.env(TestInfra.bootstrapServers(), TestNames.topics("gateway-nodb"),
                Map.of(DatabaseConfig.JDBC_URL, "jdbc:postgresql://127.0.0.1:1/none", DatabaseConfig.USER, "nobody",
                        DatabaseConfig.PASSWORD, "x"));
        try (GatewayService noDatabase = Gateways.start(env)) {
            GatewayClient direct = new GatewayClient(noDatabase.port());
            HttpResponse<String> response = direct.get("/api/payment-status?order_id="
                    + URLEncoder.encode("PGP-1|-1001", StandardCharsets.UTF_8));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).startsWith("{\"error\":");
            GatewayClient.assertNoInternals(response);
            assertThat(direct.get("/health/ready").statusCode()).isEqualTo(503);
        }
    }
}
