package io.ipnpipeline.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Which Kafka timeouts the CLI reports as "cannot reach Kafka" (exit 5): a delivery timeout on a cluster that
 * answers (e.g. min.insync.replicas not met) is not one, and the command's message naming the item must survive.
 * The messages are kafka-clients' own wording (Sender's batch expiry, KafkaProducer's metadata wait).
 */
class KafkaFailuresTest {

    private static final String EXPIRED = "Expiring 1 record(s) for ipn.raw-0:60012 ms has passed since batch"
            + " creation. The request has not been sent, or no server response has been received yet.";

    @Test
    void aSendsDeliveryTimeoutKeepsTheCommandsMessageAndExitsFailed() {
        OpsException thrown = new OpsException("redrive of number 7 not confirmed by Kafka", new ExecutionException(
                new TimeoutException(EXPIRED)));

        Handled handled = handle(thrown);

        assertThat(handled.exitCode).as(handled.err).isEqualTo(OpsException.FAILED);
        assertThat(handled.err).startsWith("error: redrive of number 7").doesNotContain("cannot reach");
    }

    @Test
    void anUnconfirmedWriteSaysAfterATimeoutThatItMayHaveLanded() {
        OpsException timedOut = OpsException.unconfirmed("Kafka did not confirm payment 42", new ExecutionException(
                new TimeoutException(EXPIRED)), "it may or may not have been written; re-running is safe");
        OpsException waitedTooLong = OpsException.unconfirmed("Kafka did not confirm payment 42",
                new java.util.concurrent.TimeoutException(), "it may or may not have been written; re-running is safe");
        OpsException rejected = OpsException.unconfirmed("Kafka did not confirm payment 42", new ExecutionException(
                new RecordTooLargeException("too large")), "it may or may not have been written; re-running is safe");

        assertThat(timedOut.getMessage()).startsWith("Kafka did not confirm payment 42: ").contains(EXPIRED)
                .endsWith("; it may or may not have been written; re-running is safe");
        assertThat(waitedTooLong.getMessage()).endsWith("; it may or may not have been written; re-running is safe");
        assertThat(rejected.getMessage()).endsWith("too large");
        assertThat(handle(timedOut).exitCode).isEqualTo(OpsException.FAILED);
    }

    @Test
    void aSendThatNeverGotMetadataIsStillUnreachable() {
        OpsException thrown = new OpsException("redrive of number 7 not confirmed by Kafka", new ExecutionException(
                new TimeoutException("Topic ipn.raw not present in metadata after 10000 ms.")));

        Handled handled = handle(thrown);

        assertThat(handled.exitCode).as(handled.err).isEqualTo(OpsException.UNREACHABLE);
        assertThat(handled.err).startsWith("error: cannot reach Kafka at 127.0.0.1:1 (KAFKA_BOOTSTRAP_SERVERS): ");
    }

    @Test
    void consumerAndAdminTimeoutsAreUnreachable() {
        assertThat(KafkaFailures.unreachable(new TimeoutException("Timeout expired while fetching topic metadata")))
                .isNotNull();
        assertThat(KafkaFailures.unreachable(new OpsException("Kafka: timed out", new TimeoutException(
                "Timed out waiting for a node assignment. Call: describeTopics")))).isNotNull();
    }

    private record Handled(int exitCode, String err) {
    }

    private static Handled handle(Exception thrown) {
        CommandLine commandLine = OpsCli.commandLine(Env.of(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, "127.0.0.1:1")));
        StringWriter err = new StringWriter();
        commandLine.setErr(new PrintWriter(err, true));
        try {
            int code = commandLine.getExecutionExceptionHandler().handleExecutionException(thrown, commandLine, null);
            return new Handled(code, err.toString());
        } catch (Exception e) {
            throw new AssertionError("the handler rethrew", e);
        }
    }
}
