package io.ipnpipeline.contracts.signature;

import java.util.Optional;

/**
 * The two ways NOWPayments' own code turns an IPN body into the bytes it signs. Which one production uses for
 * IPNs that carry a nested {@code fee} is not confirmed, so the verifier accepts either; the matching form is
 * recorded in the {@code ipn.signature_form} Kafka header with {@link #wire()}.
 */
public enum SignatureForm {

    /** The official Node SDK: keys sorted at every depth, arrays kept, then {@code JSON.stringify}. */
    DEEP_SORTED("deep-sorted"),

    /**
     * The older API docs: {@code JSON.stringify(params, Object.keys(params).sort())}. The replacer array keeps
     * only the top-level key names at every depth, so a nested object such as {@code fee} prints as {@code {}}.
     */
    TOP_LEVEL_REPLACER("top-level-replacer");

    private final String wire;

    SignatureForm(String wire) {
        this.wire = wire;
    }

    /** The word written in the {@code ipn.signature_form} header. */
    public String wire() {
        return wire;
    }

    public static Optional<SignatureForm> fromWire(String word) {
        for (SignatureForm form : values()) {
            if (form.wire.equals(word)) {
                return Optional.of(form);
            }
        }
        return Optional.empty();
    }
}
