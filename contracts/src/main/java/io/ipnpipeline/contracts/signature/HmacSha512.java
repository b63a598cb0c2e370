package io.ipnpipeline.contracts.signature;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA512 and its hex form, shared by the verifier and the signer so both compute the same thing. */
final class HmacSha512 {

    static final String ALGORITHM = "HmacSHA512";
    static final int LENGTH_BYTES = 64;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HmacSha512() {
    }

    static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA512; the message names the algorithm, never the key.
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        }
    }

    static String toHex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /**
     * The 64 bytes a received signature header stands for, or null when it cannot be an HMAC-SHA512: absent,
     * not exactly 128 hex digits (either case) after JS-style trimming.
     */
    static byte[] fromHexSignature(String header) {
        if (header == null) {
            return null;
        }
        String hex = JsText.trim(header);
        if (hex.length() != LENGTH_BYTES * 2) {
            return null;
        }
        byte[] out = new byte[LENGTH_BYTES];
        for (int i = 0; i < LENGTH_BYTES; i++) {
            int high = Character.digit(hex.charAt(2 * i), 16);
            int low = Character.digit(hex.charAt(2 * i + 1), 16);
            if (high < 0 || low < 0 || !isAsciiHex(hex.charAt(2 * i)) || !isAsciiHex(hex.charAt(2 * i + 1))) {
                return null;
            }
            out[i] = (byte) ((high << 4) | low);
        }
        return out;
    }

    /** Character.digit also accepts full-width and other Unicode digits; a hex header is ASCII only. */
    private static boolean isAsciiHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
