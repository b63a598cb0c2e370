package io.ipnpipeline.contracts.topic;

import io.ipnpipeline.contracts.signature.SignatureForm;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which records on {@code ipn.raw} the pipeline trusts, in one place. The gateway is the only signature check,
 * so a record must say where it came from: from the gateway, with the signature form that matched, or from
 * reconciliation with NOWPayments' own API (those carry no signature: the API response is not signed). A record
 * with neither (a hand-made produce, a misconfigured tool) is not processed; it goes to the dead-letter topic.
 */
public final class IpnProvenance {

    private IpnProvenance() {
    }

    /** The provenance headers of a record the gateway verified; tools and tests that stand in for it use these. */
    public static Map<String, String> verifiedByGateway(SignatureForm form, String secretName) {
        return Map.of(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_GATEWAY,
                HeaderNames.IPN_SIGNATURE_FORM, form.wire(),
                HeaderNames.IPN_SECRET, secretName);
    }

    /** The provenance header of a record injected by reconciliation. */
    public static Map<String, String> fromReconciliation() {
        return Map.of(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_RECONCILIATION);
    }

    /**
     * Why a record cannot be trusted, or empty when it can.
     *
     * @param header the last value of a header by name, or null when absent
     */
    public static Optional<String> untrustedReason(Function<String, String> header) {
        String source = header.apply(HeaderNames.IPN_SOURCE);
        if (HeaderNames.SOURCE_RECONCILIATION.equals(source)) {
            return Optional.empty();
        }
        if (HeaderNames.SOURCE_GATEWAY.equals(source)) {
            return SignatureForm.fromWire(header.apply(HeaderNames.IPN_SIGNATURE_FORM)).isPresent()
                    ? Optional.empty()
                    : Optional.of("gateway record without a verified signature form");
        }
        return Optional.of("unknown source: neither a verified gateway record nor reconciliation");
    }

    /**
     * Whether an operator sent the record on purpose a second time: a redrive from the dead-letter topic, or
     * reconciliation with NOWPayments (which injects only what the ledger lacks). Deduplication lets such a record
     * through at the status it already recorded.
     *
     * @param header the last value of a header by name, or null when absent
     */
    public static boolean retriedOnPurpose(Function<String, String> header) {
        return header.apply(HeaderNames.IPN_REDRIVEN_AT) != null
                || HeaderNames.SOURCE_RECONCILIATION.equals(header.apply(HeaderNames.IPN_SOURCE));
    }

    /** The headers of an operator's re-send that places the repeated deposit {@code paymentId} on purpose. */
    public static Map<String, String> acceptingRepeatedDeposit(long paymentId) {
        return Map.of(HeaderNames.IPN_SOURCE, HeaderNames.SOURCE_RECONCILIATION,
                HeaderNames.IPN_ACCEPT_REPEATED_DEPOSIT, Long.toString(paymentId));
    }

    /**
     * Whether an operator decided to place this repeated deposit as a payment of its own. Only a reconciliation
     * record can carry that decision (an operator tool wrote it; the gateway never forwards request headers), and
     * only for the payment it names, so a header copied onto another record decides nothing.
     *
     * @param header the last value of a header by name, or null when absent
     */
    public static boolean repeatedDepositAccepted(Function<String, String> header, long paymentId) {
        return HeaderNames.SOURCE_RECONCILIATION.equals(header.apply(HeaderNames.IPN_SOURCE))
                && Long.toString(paymentId).equals(header.apply(HeaderNames.IPN_ACCEPT_REPEATED_DEPOSIT));
    }
}
