package io.ipnpipeline.contracts.ipn;

import io.ipnpipeline.contracts.status.PaymentStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One parsed NOWPayments IPN. Amounts are {@link BigDecimal}, never {@code double}. Fields this pipeline does
 * not model are not lost: {@code rawJson} is the body exactly as received and is what the ledger stores.
 * Nullable fields are the ones NOWPayments may omit or send as {@code null}.
 */
public record Ipn(
        long paymentId,
        Long parentPaymentId,
        Long invoiceId,
        PaymentStatus status,
        String payAddress,
        BigDecimal priceAmount,
        String priceCurrency,
        BigDecimal payAmount,
        BigDecimal actuallyPaid,
        String payCurrency,
        String orderId,
        String orderDescription,
        BigDecimal outcomeAmount,
        String outcomeCurrency,
        String payinHash,
        String payoutHash,
        Instant createdAt,
        Instant updatedAt,
        String rawJson) {

    public Ipn {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(rawJson, "rawJson");
    }
}
