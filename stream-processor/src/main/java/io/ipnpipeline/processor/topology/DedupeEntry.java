package io.ipnpipeline.processor.topology;

import io.ipnpipeline.contracts.status.PaymentStatus;

/**
 * What the dedupe store remembers of one payment: its current NOWPayments status, that status's rank, and when
 * it was last accepted (wall-clock millis), which is what retention counts from.
 */
public record DedupeEntry(PaymentStatus status, int rank, long acceptedAtMs) {

    static DedupeEntry accepted(PaymentStatus status, long nowMs) {
        return new DedupeEntry(status, status.rank(), nowMs);
    }
}
