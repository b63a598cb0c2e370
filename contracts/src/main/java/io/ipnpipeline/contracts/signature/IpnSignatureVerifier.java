package io.ipnpipeline.contracts.signature;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;

/**
 * Checks the {@code x-nowpayments-sig} header of an IPN: a hex HMAC-SHA512, keyed with an IPN secret, over the
 * body's canonical JSON ({@link CanonicalJson}). Every configured secret is tried (rotation without downtime),
 * first over the {@link SignatureForm#DEEP_SORTED} bytes, then, only if none matched, over the
 * {@link SignatureForm#TOP_LEVEL_REPLACER} bytes.
 *
 * <p>Never throws for anything a sender controls: a missing, malformed or wrong signature and an unreadable
 * body all give {@link Optional#empty()}. A gateway that must tell "not JSON" (400) from "bad signature" (401)
 * parses first with {@link CanonicalJson#parse(byte[])} and then calls {@link #verify(JsonNode, String)},
 * reusing the same tree for the payment id.
 *
 * <p>Thread-safe: each thread keeps its own initialised {@link Mac}s, so a request costs one parse, one or
 * two serialisations and one HMAC per secret tried, with no key set-up.
 */
public final class IpnSignatureVerifier {

    private final List<String> names;
    private final ThreadLocal<Mac[]> macs;

    /** @param secrets in the order to try them, e.g. {@code current} then {@code previous}; at least one */
    public IpnSignatureVerifier(List<IpnSecret> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one IPN secret is required");
        }
        Set<String> seen = new HashSet<>();
        for (IpnSecret secret : secrets) {
            if (!seen.add(secret.name())) {
                throw new IllegalArgumentException("IPN secret name '" + secret.name() + "' is used twice");
            }
        }
        this.names = secrets.stream().map(IpnSecret::name).toList();
        byte[][] keys = secrets.stream().map(IpnSecret::keyBytes).toArray(byte[][]::new);
        this.macs = ThreadLocal.withInitial(() -> {
            Mac[] perThread = new Mac[keys.length];
            for (int i = 0; i < keys.length; i++) {
                perThread[i] = HmacSha512.newMac(keys[i]);
            }
            return perThread;
        });
        HmacSha512.newMac(keys[0]); // fail at start-up, not on the first request, if HMAC is unusable
    }

    /** The raw body as received and the header value (may be null); empty unless a secret and form match. */
    public Optional<SignatureMatch> verify(byte[] body, String signatureHeader) {
        byte[] received = HmacSha512.fromHexSignature(signatureHeader);
        if (received == null) {
            return Optional.empty(); // cheap reject before parsing
        }
        try {
            return match(CanonicalJson.parse(body), received);
        } catch (UnreadableBodyException e) {
            return Optional.empty();
        }
    }

    /** As {@link #verify(byte[], String)} for a body already parsed, preferably by {@link CanonicalJson#parse}. */
    public Optional<SignatureMatch> verify(JsonNode body, String signatureHeader) {
        byte[] received = HmacSha512.fromHexSignature(signatureHeader);
        if (received == null || body == null) {
            return Optional.empty();
        }
        try {
            return match(body, received);
        } catch (UnreadableBodyException e) {
            return Optional.empty();
        }
    }

    /** The configured secret names, in the order they are tried. */
    public List<String> secretNames() {
        return names;
    }

    private Optional<SignatureMatch> match(JsonNode body, byte[] received) throws UnreadableBodyException {
        CanonicalJson.Bytes deepSorted = CanonicalJson.writeTo(body, SignatureForm.DEEP_SORTED);
        Optional<SignatureMatch> match = match(deepSorted, received, SignatureForm.DEEP_SORTED);
        if (match.isPresent()) {
            return match;
        }
        CanonicalJson.Bytes replacer = CanonicalJson.writeTo(body, SignatureForm.TOP_LEVEL_REPLACER);
        if (replacer.contentEquals(deepSorted)) {
            return Optional.empty(); // no nested objects: the same bytes already failed
        }
        return match(replacer, received, SignatureForm.TOP_LEVEL_REPLACER);
    }

    private Optional<SignatureMatch> match(CanonicalJson.Bytes canonical, byte[] received, SignatureForm form) {
        Mac[] perThread = macs.get();
        for (int i = 0; i < perThread.length; i++) {
            Mac mac = perThread[i];
            mac.update(canonical.array(), 0, canonical.size());
            byte[] expected = mac.doFinal(); // also resets the Mac for the next use on this thread
            // Timing-safe comparison: MessageDigest.isEqual takes the same time wherever the bytes differ.
            if (MessageDigest.isEqual(expected, received)) {
                return Optional.of(new SignatureMatch(names.get(i), form));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "IpnSignatureVerifier[secrets=" + names + "]";
    }
}
