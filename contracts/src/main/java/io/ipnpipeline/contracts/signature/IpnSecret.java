package io.ipnpipeline.contracts.signature;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One configured IPN secret and the name it is reported under ({@code current}, {@code previous}, ...).
 * Several are configured at once so a secret can be rotated without rejecting IPNs during the switch.
 * The value never appears in {@link #toString()}.
 *
 * @param name  short label reported in {@link SignatureMatch#secretName()} and the {@code ipn.secret} header
 * @param value the secret as configured; surrounding whitespace is trimmed as NOWPayments' own code does
 */
public record IpnSecret(String name, String value) {

    public IpnSecret {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "IPN secret " + name);
        if (name.isBlank()) {
            throw new IllegalArgumentException("IPN secret name is blank");
        }
        value = JsText.trim(value);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("IPN secret '" + name + "' is empty");
        }
    }

    /** The HMAC key: the trimmed secret as UTF-8, as Node's {@code createHmac} uses a string key. */
    byte[] keyBytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "IpnSecret[name=" + name + ", value=****]";
    }
}
