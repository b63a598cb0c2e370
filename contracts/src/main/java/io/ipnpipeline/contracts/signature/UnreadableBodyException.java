package io.ipnpipeline.contracts.signature;

/**
 * A body that cannot be canonicalised: not UTF-8, not JSON, nested too deeply, or a tree holding something
 * JSON cannot. Checked, so a caller decides between "400 not JSON" and "no signature match" explicitly.
 * The message is a short, stable reason, safe for a log line or a header; it never contains body text.
 */
public final class UnreadableBodyException extends Exception {

    private static final long serialVersionUID = 1L;

    UnreadableBodyException(String reason) {
        super(reason, null, false, false);
    }
}
