package io.ipnpipeline.ops.cli;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Recognises "Kafka cannot be reached" in whatever a command threw, so the operator reads one line naming the
 * address and its variable instead of a client exception: with no broker, every client call ends in a
 * {@link TimeoutException} (metadata never arrives), and a bootstrap address that does not resolve fails the
 * client's construction.
 *
 * <p>Not every Kafka {@link TimeoutException} means that, though: a record the producer accepted and the cluster did
 * not acknowledge within {@code delivery.timeout.ms} ("Expiring N record(s) ...", e.g. {@code min.insync.replicas}
 * not met on a cluster that answers) is a write whose fate is unknown. The command's own message names the item
 * (which payment, which dead letter) and must reach the operator, so such a failure is not "unreachable".
 */
final class KafkaFailures {

    /** How kafka-clients' Sender words a batch that reached delivery.timeout.ms (kafka-clients 4.4.0). */
    private static final String DELIVERY_TIMEOUT_PREFIX = "Expiring ";

    private KafkaFailures() {
    }

    /** The Kafka exception that says the cluster was not reached, or null if the failure is something else. */
    static Throwable unreachable(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return isDeliveryTimeout(cause) ? null : cause;
            }
            if (cause instanceof KafkaException && cause.getCause() instanceof ConfigException config
                    && String.valueOf(config.getMessage()).contains("bootstrap")) {
                return config;
            }
        }
        return null;
    }

    /**
     * The producer's expiry of a batch it accepted (Sender#failExpiredBatches); the metadata wait of a send ("Topic
     * ... not present in metadata after ...") and the admin/consumer calls' timeouts read differently.
     */
    private static boolean isDeliveryTimeout(Throwable timeout) {
        return String.valueOf(timeout.getMessage()).startsWith(DELIVERY_TIMEOUT_PREFIX);
    }
}
