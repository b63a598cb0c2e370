package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.ipn.Ipn;
import io.ipnpipeline.contracts.order.OrderId;
import java.time.Instant;
import java.util.Locale;

/**
 * A payment waiting in the parking store for its channel's mapping, with everything needed to place it later.
 * {@code repeatedDepositAccepted} keeps an operator's decision (a header of the parked record) until release; an entry
 * stored before the field existed reads as false, which holds a repeated deposit for review as before.
 */
public record ParkedPayment(Ipn ipn, OrderId orderId, Instant receivedAt, boolean repeatedDepositAccepted) {

    /** Long.MAX_VALUE has 19 digits: every offset pads to the same width, so keys sort in offset order. */
    private static final int OFFSET_DIGITS = 20;

    /**
     * The store key: channel first so one channel's payments are one prefix range, then the source offset
     * zero-padded so the range comes back in arrival order. Offsets are unique within the task's one input
     * partition, and the same after a replay, so a key never collides and never depends on a counter.
     */
    static String key(long openChannelId, long sourceOffset) {
        return channelPrefix(openChannelId) + offsetDigits(sourceOffset);
    }

    /** {@code String.format("%020d", offset)} without a Formatter (a visible cost for every parked IPN). */
    private static String offsetDigits(long sourceOffset) {
        if (sourceOffset < 0) {
            return String.format(Locale.ROOT, "%020d", sourceOffset);
        }
        String digits = Long.toString(sourceOffset);
        return "0".repeat(OFFSET_DIGITS - digits.length()) + digits;
    }

    static String channelPrefix(long openChannelId) {
        return openChannelId + "/";
    }

    static long channelOf(String key) {
        return Long.parseLong(key.substring(0, key.indexOf('/')));
    }
}
