package io.ipnpipeline.contracts.status;

import java.util.Optional;

/**
 * The words the status API answers with, and that {@code private_channel_users_database.payment_status}
 * and {@code payments.status_word} hold (design.md, "Status API answers").
 */
public enum StatusWord {
    PENDING("pending"),
    PROCESSING("processing"),
    CONFIRMED("confirmed"),
    AWAITING_MAPPING("awaiting_mapping"),
    NEEDS_REVIEW("needs_review"),
    PARTIALLY_PAID("partially_paid"),
    FAILED("failed"),
    EXPIRED("expired"),
    REFUNDED("refunded");

    private final String word;

    StatusWord(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The word for a payment that was placed (mapped and tiered) and is in {@code status}. */
    public static StatusWord forPlaced(PaymentStatus status) {
        return switch (status) {
            case WAITING, CONFIRMING, CONFIRMED, SENDING -> PROCESSING;
            case FINISHED -> CONFIRMED;
            case PARTIALLY_PAID -> PARTIALLY_PAID;
            case FAILED -> FAILED;
            case EXPIRED -> EXPIRED;
            case REFUNDED -> REFUNDED;
        };
    }

    public static Optional<StatusWord> fromWord(String word) {
        for (StatusWord value : values()) {
            if (value.word.equals(word)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
