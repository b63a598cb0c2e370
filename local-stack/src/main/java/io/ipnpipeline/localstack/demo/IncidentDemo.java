package io.ipnpipeline.localstack.demo;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.serde.Json;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.TopicSpec;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.localstack.ipn.IpnSender;
import io.ipnpipeline.localstack.ipn.StatusClient;
import io.ipnpipeline.localstack.stack.Endpoints;
import io.ipnpipeline.support.config.Secret;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Replays the incident on a running stack: the channel is registered, but the user paid through a direct
 * link, so there is no row of theirs; NOWPayments then sends waiting, confirming, finished, and finished again.
 * Prints the HTTP answers, the status API until it says {@code confirmed}, and the commands (read_committed).
 */
public final class IncidentDemo {

    private static final List<PaymentStatus> SEQUENCE = List.of(PaymentStatus.WAITING, PaymentStatus.CONFIRMING,
            PaymentStatus.FINISHED, PaymentStatus.FINISHED);
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(60);

    private final Endpoints endpoints;
    private final Secret ipnSecret;
    private final TopicNames topics;
    private final PrintWriter out;

    public IncidentDemo(Endpoints endpoints, Secret ipnSecret, TopicNames topics, PrintWriter out) {
        this.endpoints = endpoints;
        this.ipnSecret = ipnSecret;
        this.topics = topics;
        this.out = out;
    }

    /**
     * True when every IPN was accepted and the payment reached {@code confirmed} with exactly one invite and one
     * payout command.
     */
    public boolean run() throws IOException, InterruptedException, SQLException {
        IncidentChannel channel = IncidentChannel.incident();
        PGSimpleDataSource database = dataSource();
        Optional<String> earlier = earlierRun(database);
        say("Demo: the incident's payment " + IncidentChannel.PAYMENT_ID + " of user " + IncidentChannel.USER_ID
                + ", order " + IncidentChannel.ORDER_ID
                + earlier.map(status -> " (already in the ledger from an earlier run, status " + status
                        + ": its commands were issued then, and this run only replays the IPNs; --fresh starts over)")
                        .orElse(" (direct link: no pre-existing row)"));
        channel.upsert(database);
        say("  main_clients_database: open " + channel.openChannelId() + " -> closed " + channel.closedChannelId()
                + ", tier " + channel.tierPriceUsd() + " USD = " + channel.tierDays() + " days, wallet "
                + channel.walletAddress());
        IpnSender sender = new IpnSender();
        for (PaymentStatus status : SEQUENCE) {
            byte[] body = IpnBodyBuilder.incidentPayment().status(status).toBytes();
            IpnSender.Response response = sendLikeNowPayments(sender, body);
            say("  POST /ipn payment_status=" + status.wire() + " -> " + response.status() + " " + response.body());
            if (!response.accepted()) {
                // a rejected IPN is lost to the demo: what follows could only time out, or pass on an earlier run's
                say("Demo FAILED: the gateway answered " + response.status() + " to payment_status=" + status.wire()
                        + (response.status() == 401 ? " (it runs with another IPN secret than the demo signs with)"
                                : ""));
                return false;
            }
        }
        boolean confirmed = awaitConfirmed();
        int invites = printCommands(Topics.COMMANDS_INVITE);
        int payouts = printCommands(Topics.COMMANDS_PAYOUT);
        boolean ok = confirmed && invites == 1 && payouts == 1;
        say(ok ? "Demo OK: confirmed, exactly one invite and one payout command."
                : "Demo FAILED: confirmed=" + confirmed + ", invites=" + invites + ", payouts=" + payouts);
        return ok;
    }

    /** A 5xx (e.g. 503 while Kafka is still electing leaders) is retried, as NOWPayments would. */
    private IpnSender.Response sendLikeNowPayments(IpnSender sender, byte[] body)
            throws IOException, InterruptedException {
        IpnSender.Response response = sender.send(IpnSender.ipnUrl(endpoints.gatewayUrl()), body, ipnSecret);
        for (int retry = 1; retry <= 5 && response.status() >= 500; retry++) {
            say("  POST /ipn -> " + response.status() + ", retrying in 1 s");
            Thread.sleep(1_000);
            response = sender.send(IpnSender.ipnUrl(endpoints.gatewayUrl()), body, ipnSecret);
        }
        return response;
    }

    private boolean awaitConfirmed() throws IOException, InterruptedException {
        StatusClient status = new StatusClient(endpoints.gatewayUrl());
        long deadline = System.nanoTime() + CONFIRM_TIMEOUT.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            StatusClient.Answer answer = status.status(IncidentChannel.ORDER_ID);
            if (!answer.body().equals(last)) {
                say("  GET /api/payment-status -> " + answer.httpStatus() + " " + answer.body());
                last = answer.body();
            }
            if ("confirmed".equals(answer.status())) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private <V> int printCommands(TopicSpec<String, V> spec) throws IOException {
        String topic = topics.name(spec);
        String key = Long.toString(IncidentChannel.PAYMENT_ID);
        List<ConsumerRecord<String, V>> records = new CommandReader(endpoints.kafkaBootstrapServers())
                .read(spec, topic, key::equals, 1, Duration.ofSeconds(30), Duration.ofSeconds(2));
        for (ConsumerRecord<String, V> record : records) {
            Header id = record.headers().lastHeader(CommandIds.HEADER);
            say("  " + topic + " (read_committed) key=" + record.key() + " " + CommandIds.HEADER + "="
                    + (id == null ? "-" : new String(id.value(), StandardCharsets.UTF_8)) + " "
                    + Json.mapper().writeValueAsString(record.value()));
        }
        return records.size();
    }

    /** The ledger's status word for the demo's payment, when an earlier run left it there. */
    private static Optional<String> earlierRun(PGSimpleDataSource database) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT status_word FROM payments WHERE payment_id = ?")) {
            select.setLong(1, IncidentChannel.PAYMENT_ID);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    private PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(endpoints.jdbcUrl());
        dataSource.setUser(endpoints.dbUser());
        dataSource.setPassword(endpoints.dbPassword().reveal());
        return dataSource;
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
