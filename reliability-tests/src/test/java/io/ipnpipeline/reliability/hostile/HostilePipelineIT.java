package io.ipnpipeline.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ipnpipeline.contracts.command.CommandIds;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.localstack.e2e.InJvmPipeline;
import io.ipnpipeline.localstack.ipn.IpnSender;
import io.ipnpipeline.reliability.audit.PipelineAudit;
import io.ipnpipeline.reliability.traffic.TestChannel;
import io.ipnpipeline.support.config.Secret;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Authentic (correctly signed) IPNs with hostile field values, through the whole pipeline: each money-relevant one
 * ends in review or in a dead-letter topic with a reason (ipn.dlq, or sink.dlq for what PostgreSQL refuses, e.g. a
 * NUL character), none produces an invite or a payout, and the processor keeps going: an ordinary
 * payment sent after them, and authentic payments with an unreadable informational field (invoice id, timestamp),
 * are confirmed and commanded exactly once.
 */
class HostilePipelineIT {

    private static final TestChannel CHANNEL = TestChannel.number(7);
    private static final long USER = 6_271_402_111L;
    private static final long FIRST_ID = 8_800_000_000L;

    @Test
    void hostileValuesEndInReviewOrTheDlqAndNeverTriggerAPayout() throws Exception {
        Map<String, UnaryOperator<IpnBodyBuilder>> cases = new LinkedHashMap<>();
        cases.put("negative price", ipn -> ipn.priceAmount("-2.50"));
        cases.put("negative outcome", ipn -> ipn.outcomeAmount("-0.00061819"));
        cases.put("negative pay amount", ipn -> ipn.with("pay_amount", new BigDecimal("-1")));
        cases.put("negative actually paid", ipn -> ipn.with("actually_paid", new BigDecimal("-0.5")));
        cases.put("huge price", ipn -> ipn.with("price_amount", new BigDecimal("1e400")));
        cases.put("tiny price", ipn -> ipn.with("price_amount", new BigDecimal("1e-400")));
        cases.put("price as text", ipn -> ipn.with("price_amount", "two fifty"));
        cases.put("outcome as object", ipn -> ipn.with("outcome_amount", Map.of("x", 1)));
        cases.put("10 KB order id", ipn -> ipn.orderId("PGP-" + USER + "|" + "9".repeat(10_240)));
        cases.put("absurd user id", ipn -> ipn.orderId("PGP-99999999999999999999999|" + CHANNEL.openChannelId()));
        cases.put("absurd channel id", ipn -> ipn.orderId("PGP-" + USER + "|-99999999999999999999999"));
        cases.put("positive channel id", ipn -> ipn.orderId("PGP-" + USER + "|1003200000007"));
        cases.put("null order id", ipn -> ipn.orderId(null));
        cases.put("not usd", ipn -> ipn.with("price_currency", "eur"));
        cases.put("control characters", ipn -> ipn.orderId("PGP-" + USER + "|" + CHANNEL.openChannelId() + "\u0000\n"));
        cases.put("unknown status", ipn -> ipn.with("payment_status", "FINISHED!"));
        cases.put("status as number", ipn -> ipn.with("payment_status", 6));
        // authentic and payable: an informational field that cannot be read is dropped, the payment goes on
        Map<String, UnaryOperator<IpnBodyBuilder>> tolerated = new LinkedHashMap<>();
        tolerated.put("huge invoice id", ipn -> ipn.with("invoice_id", new BigDecimal("1e30")));
        tolerated.put("bad timestamp", ipn -> ipn.with("updated_at", "yesterday"));

        try (InJvmPipeline pipeline = InJvmPipeline.start("hostile-pipeline")) {
            CHANNEL.upsert(pipeline.schema().dataSource());
            IpnSender sender = new IpnSender();
            Map<Long, String> hostile = new LinkedHashMap<>();
            long id = FIRST_ID;
            for (Map.Entry<String, UnaryOperator<IpnBodyBuilder>> entry : cases.entrySet()) {
                long paymentId = id++;
                byte[] body = entry.getValue().apply(finished(paymentId)).toBytes();
                IpnSender.Response response = sender.send(IpnSender.ipnUrl(pipeline.gatewayUrl()), body,
                        new Secret(InJvmPipeline.IPN_SECRET));
                assertThat(response.status()).as("%s: %s", entry.getKey(), response.body()).isEqualTo(200);
                hostile.put(paymentId, entry.getKey());
            }
            java.util.Set<Long> payable = new java.util.TreeSet<>();
            for (UnaryOperator<IpnBodyBuilder> odd : tolerated.values()) {
                long paymentId = id++;
                assertThat(sender.send(IpnSender.ipnUrl(pipeline.gatewayUrl()), odd.apply(finished(paymentId))
                        .toBytes(), new Secret(InJvmPipeline.IPN_SECRET)).status()).isEqualTo(200);
                payable.add(paymentId);
            }
            long ordinary = id;
            assertThat(sender.send(IpnSender.ipnUrl(pipeline.gatewayUrl()), finished(ordinary).toBytes(),
                    new Secret(InJvmPipeline.IPN_SECRET)).status()).isEqualTo(200);
            payable.add(ordinary);

            PipelineAudit audit = new PipelineAudit(pipeline.schema().dataSource(), pipeline.bootstrapServers(),
                    pipeline.topics(), Instant.now());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(pipeline.fatal()).isNull();
                assertThat(audit.payments()).containsKey(ordinary);
                assertThat(audit.payoutIds()).contains(CommandIds.payout(ordinary));
                var rows = audit.payments();
                var dead = new java.util.HashSet<>(audit.deadLetteredKeys());
                dead.addAll(audit.sinkDeadLetteredKeys());
                hostile.forEach((paymentId, name) -> assertThat(dead.contains(paymentId)
                        || rows.containsKey(paymentId) && rows.get(paymentId).statusWord().equals("needs_review"))
                        .as("%s (payment %d): in review or in the DLQ; row %s", name, paymentId, rows.get(paymentId))
                        .isTrue());
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> audit.payoutIds().size() >= payable.size());
            audit.assertExactlyOneCommandEach(payable);
            assertThat(audit.payments().get(ordinary).statusWord()).isEqualTo("confirmed");
        }
    }

    private static IpnBodyBuilder finished(long paymentId) {
        return IpnBodyBuilder.incidentPayment()
                .paymentId(paymentId)
                .status(PaymentStatus.FINISHED)
                .order(USER, CHANNEL.openChannelId());
    }
}
