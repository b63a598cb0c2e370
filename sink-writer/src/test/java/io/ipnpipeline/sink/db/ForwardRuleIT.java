package io.ipnpipeline.sink.db;

import static io.ipnpipeline.sink.fixtures.PaymentBuilder.payment;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.contracts.payment.EnrichedPayment;
import io.ipnpipeline.contracts.status.PaymentStatus;
import io.ipnpipeline.contracts.status.Progress;
import io.ipnpipeline.contracts.status.StatusWord;
import io.ipnpipeline.sink.batch.BatchPlan;
import io.ipnpipeline.sink.fixtures.Tables;
import io.ipnpipeline.testsupport.TestSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ledger upsert's SQL forward rule agrees with Progress.advances on every pair of (status, phase). */
class ForwardRuleIT {

    private static TestSchema schema;

    @BeforeAll
    static void schema() {
        schema = TestSchema.create("forward-rule");
    }

    @AfterAll
    static void drop() {
        schema.close();
    }

    record Combo(PaymentStatus status, StatusWord word) {
        int rank() {
            return Progress.rank(status, word);
        }

        EnrichedPayment record(long paymentId) {
            var builder = payment(paymentId).status(status);
            if (word == StatusWord.AWAITING_MAPPING) {
                builder.awaitingMapping();
            } else if (word == StatusWord.NEEDS_REVIEW) {
                builder.needsReview("test");
            }
            return builder.build();
        }
    }

    @Test
    void theSqlRuleIsProgressAdvancesForEveryPair() throws Exception {
        List<Combo> combos = new ArrayList<>();
        for (PaymentStatus status : PaymentStatus.values()) {
            for (StatusWord word : List.of(StatusWord.AWAITING_MAPPING, StatusWord.NEEDS_REVIEW,
                    StatusWord.forPlaced(status))) {
                combos.add(new Combo(status, word));
            }
        }
        List<EnrichedPayment> before = new ArrayList<>();
        List<EnrichedPayment> after = new ArrayList<>();
        Map<Long, Combo[]> pairs = new HashMap<>();
        long id = 1;
        for (Combo from : combos) {
            for (Combo to : combos) {
                before.add(from.record(id));
                after.add(to.record(id));
                pairs.put(id, new Combo[] {from, to});
                id++;
            }
        }
        BatchWriter writer = new BatchWriter(schema.dataSource());
        writer.apply(BatchPlan.of(before));

        BatchResult result = writer.apply(BatchPlan.of(after));

        Map<Long, Boolean> acceptedFinishedNow = new HashMap<>();
        result.accepted().forEach(change -> acceptedFinishedNow.put(change.row().paymentId(), change.finishedNow()));
        Map<Long, Object> storedRank = new HashMap<>();
        Tables.rows(schema.dataSource(), "SELECT payment_id, status_rank FROM payments")
                .forEach(row -> storedRank.put(((Number) row.get("payment_id")).longValue(), row.get("status_rank")));
        int checked = 0;
        for (Map.Entry<Long, Combo[]> pair : pairs.entrySet()) {
            Combo from = pair.getValue()[0];
            Combo to = pair.getValue()[1];
            boolean expected = Progress.advances(from.status(), from.rank(), to.status(), to.rank());
            assertThat(acceptedFinishedNow.containsKey(pair.getKey())).as("%s -> %s", from, to).isEqualTo(expected);
            assertThat(((Number) storedRank.get(pair.getKey())).intValue()).as("%s -> %s", from, to)
                    .isEqualTo(expected ? to.rank() : from.rank());
            boolean firstFinish = expected && to.status() == PaymentStatus.FINISHED
                    && to.word() == StatusWord.CONFIRMED && !(from.status() == PaymentStatus.FINISHED
                    && from.word() == StatusWord.CONFIRMED);
            assertThat(acceptedFinishedNow.getOrDefault(pair.getKey(), false)).as("first finish %s -> %s", from, to)
                    .isEqualTo(firstFinish);
            checked++;
        }
        assertThat(checked).isEqualTo(27 * 27);
    }
}
