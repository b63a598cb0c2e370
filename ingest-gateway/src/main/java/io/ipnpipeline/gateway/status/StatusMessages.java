package io.ipnpipeline.gateway.status;

import io.ipnpipeline.contracts.status.StatusWord;

/** The sentence the landing page shows for each status word; plain, and free of any payment data. */
public final class StatusMessages {

    private StatusMessages() {
    }

    public static String of(StatusWord word) {
        return switch (word) {
            case PENDING -> "Waiting for your payment.";
            case PROCESSING -> "Payment received, waiting for confirmation on the blockchain.";
            case CONFIRMED -> "Payment confirmed. Your invite is on its way.";
            case AWAITING_MAPPING -> "Payment received. Your channel access is being set up.";
            case NEEDS_REVIEW -> "Payment received and under review. Support will contact you.";
            case PARTIALLY_PAID -> "Less than the price was received. Please contact support.";
            case FAILED -> "The payment failed.";
            case EXPIRED -> "The payment window expired before the full amount arrived.";
            case REFUNDED -> "The payment was refunded.";
        };
    }
}
