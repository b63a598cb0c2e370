package io.ipnpipeline.localstack.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.localstack.stack.Endpoints;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.testsupport.TestSchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo against a real PostgreSQL and a gateway that rejects every IPN. Found by a newcomer: the demo said
 * "Demo OK" although every IPN got 401 (it ignored the answers, and an earlier run's ledger row and commands made
 * the rest pass), and said "no pre-existing row" when an earlier run had left one.
 */
class IncidentDemoIT {

    private static TestSchema schema;

    private HttpServer gateway;
    private final AtomicInteger posts = new AtomicInteger();

    @BeforeAll
    static void createSchema() {
        schema = TestSchema.create("incident_demo");
    }

    @AfterAll
    static void dropSchema() {
        schema.close();
    }

    @BeforeEach
    void startRejectingGateway() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/ipn", exchange -> {
            posts.incrementAndGet();
            byte[] reply = "{\"error\":\"invalid signature\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(401, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        gateway.start();
        try (Connection connection = schema.dataSource().getConnection();
                Statement delete = connection.createStatement()) {
            delete.execute("DELETE FROM payments");
        }
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
    }

    @Test
    void aRejectedIpnFailsTheDemoAtOnce() throws Exception {
        StringWriter out = new StringWriter();

        boolean ok = demo(out).run();

        assertThat(ok).isFalse();
        assertThat(posts).hasValue(1);
        assertThat(out.toString()).contains("(direct link: no pre-existing row)")
                .contains("Demo FAILED: the gateway answered 401 to payment_status=waiting")
                .contains("another IPN secret").doesNotContain("Demo OK");
    }

    @Test
    void aPaymentLeftByAnEarlierRunIsSaidToBeThere() throws Exception {
        try (Connection connection = schema.dataSource().getConnection();
                Statement insert = connection.createStatement()) {
            insert.execute("INSERT INTO payments (payment_id, status, status_rank, status_word, last_ipn) VALUES ("
                    + IncidentChannel.PAYMENT_ID + ", 'finished', 72, 'confirmed', '{}'::jsonb)");
        }
        StringWriter out = new StringWriter();

        boolean ok = demo(out).run();

        assertThat(ok).isFalse();
        assertThat(out.toString()).contains("already in the ledger from an earlier run, status confirmed")
                .contains("--fresh").doesNotContain("no pre-existing row");
    }

    private IncidentDemo demo(StringWriter out) {
        String url = "http://127.0.0.1:" + gateway.getAddress().getPort();
        // Kafka is never reached: the demo stops at the first rejected IPN
        Endpoints endpoints = new Endpoints(url, url, "127.0.0.1:1", schema.jdbcUrl(), schema.user(),
                new Secret(schema.password()));
        return new IncidentDemo(endpoints, new Secret("demo-secret"), TopicNames.defaults(), new PrintWriter(out));
    }
}
