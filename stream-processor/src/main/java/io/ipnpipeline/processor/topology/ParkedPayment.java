package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.order.OrderId;
import java.time.Instant;

/** A payment waiting in the parking store for its channel's mapping, with everything needed to place it later. */
public record ParkedPayment(Ipn ipn, OrderId orderId, Instant receivedAt) {

    /**
     * The store key: channel first so one channel's payments are one prefix range, then the source offset
     * zero-padded so the range comes back in arrival order. Offsets are unique within the task's one input
     * partition, and the same after a replay, so a key never collides and never depends on a counter.
     */
    static String key(long openChannelId, long sourceOffset) {
        return channelPrefix(openChannelId) + String.format("%020d", sourceOffset);
    }

    static String channelPrefix(long openChannelId) {
        return openChannelId + "/";
    }

    static long channelOf(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('/')));
    }
}
