package io.ipnpipeline.contracts.signature;

import java.util.Objects;

/**
 * A signature that verified: which configured secret (by name, never its value) and which canonical form.
 * Both go into Kafka headers ({@code ipn.secret}, {@code ipn.signature_form}) so operators can see when the
 * previous secret or the older form is still in use.
 */
public record SignatureMatch(String secretName, SignatureForm form) {

    public SignatureMatch {
        Objects.requireNonNull(secretName, "secretName");
        Objects.requireNonNull(form, "form");
    }
}
