package io.ipnpipeline.ops.cli;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Recognises "Kafka cannot be reached" in whatever a command threw, so the operator reads one line naming the
 * address and its variable instead of a client exception: with no broker, every client call ends in a
 * {@link TimeoutException} (metadata never arrives), and a bootstrap address that does not resolve fails the
 * client's construction.
 */
final class KafkaFailures {

    private KafkaFailures() {
    }

    /** The Kafka exception that says the cluster was not reached, or null if the failure is something else. */
    static Throwable unreachable(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return cause;
            }
            if (cause instanceof KafkaException && cause.getCause() instanceof ConfigException config
                    && String.valueOf(config.getMessage()).contains("bootstrap")) {
                return config;
            }
        }
        return null;
    }
}
