package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.Ipn;
import java.time.Instant;

/**
 * The outcome of the parse step: an IPN the rest of the topology can use, or the reason it cannot. Lives only
 * between two processors of one task, so it is never serialised.
 */
sealed interface ParsedIpn {

    /** A usable IPN and when the gateway received it. */
    record Usable(Ipn ipn, Instant receivedAt) implements ParsedIpn {
    }

    /** An unusable record: the body exactly as read, bound for the dead-letter topic. */
    record Unusable(String reason, byte[] body) implements ParsedIpn {
    }
}
