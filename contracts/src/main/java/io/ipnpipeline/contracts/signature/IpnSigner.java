package io.ipnpipeline.contracts.signature;

import com.fasterxml.jackson.databind.JsonNode;
import javax.crypto.Mac;

/**
 * Signs an IPN body as NOWPayments does, for tests and tools (e.g. replaying an IPN at a local gateway).
 * Uses the verifier's own canonicalisation and HMAC code, so a body signed here verifies there.
 */
public final class IpnSigner {

    private IpnSigner() {
    }

    /**
     * The lower-case hex {@code x-nowpayments-sig} value for a raw body.
     *
     * @throws IllegalArgumentException if the body is not JSON that can be signed (the caller's mistake)
     */
    public static String sign(String secret, byte[] body, SignatureForm form) {
        try {
            return sign(secret, CanonicalJson.parse(body), form);
        } catch (UnreadableBodyException e) {
            throw new IllegalArgumentException("cannot sign body: " + e.getMessage(), e);
        }
    }

    /** As {@link #sign(String, byte[], SignatureForm)} for a parsed body. */
    public static String sign(String secret, JsonNode body, SignatureForm form) {
        IpnSecret key = new IpnSecret("signing", secret);
        try {
            CanonicalJson.Bytes canonical = CanonicalJson.writeTo(body, form);
            Mac mac = HmacSha512.newMac(key.keyBytes());
            mac.update(canonical.array(), 0, canonical.size());
            return HmacSha512.toHex(mac.doFinal());
        } catch (UnreadableBodyException e) {
            throw new IllegalArgumentException("cannot sign body: " + e.getMessage(), e);
        }
    }
}
