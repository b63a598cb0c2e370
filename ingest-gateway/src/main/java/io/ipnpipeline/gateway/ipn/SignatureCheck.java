package io.ipnpipeline.gateway.ipn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * The gateway's view of signature verification: which configured secret and which signature form matched,
 * if any. {@link VerifierSignatureCheck} adapts the contracts verifier; routing tests substitute a stand-in.
 */
@FunctionalInterface
public interface SignatureCheck {

    /**
     * @param body      the body, parsed once by {@link io.ipnpipeline.contracts.signature.CanonicalJson#parse}
     * @param signature the {@code x-nowpayments-sig} header, never null here
     */
    Optional<Match> verify(JsonNode body, String signature);

    /** Names only: the secret's name (e.g. {@code current}) and the form's word (e.g. {@code deep-sorted}). */
    record Match(String secretName, String form) {
    }
}
