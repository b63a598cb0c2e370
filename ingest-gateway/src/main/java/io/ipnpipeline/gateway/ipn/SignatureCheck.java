package io.ipnpipeline.gateway.ipn;

import java.util.Optional;

/**
 * The gateway's view of signature verification: which configured secret and which signature form matched,
 * if any. The contracts verifier is adapted to it in {@link VerifierSignatureCheck}; keeping the gateway on
 * this one method means its routing does not depend on how the verifier is built.
 */
@FunctionalInterface
public interface SignatureCheck {

    /**
     * @param body      the body exactly as received
     * @param signature the {@code x-nowpayments-sig} header, never null here
     */
    Optional<Match> verify(byte[] body, String signature);

    /** Names only: the secret's name (e.g. {@code current}) and the form's word (e.g. {@code deep-sorted}). */
    record Match(String secretName, String form) {
    }
}
