package io.ipnpipeline.reliability.hostile;

import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Request bodies an attacker (or a broken client) might send: random bytes, deep nesting, huge numbers,
 * duplicate keys, invalid UTF-8, huge strings, and random corruptions of a real IPN.
 */
final class HostileBodies {

    private static final byte[] VALID = IpnBodyBuilder.incidentPayment().toBytes();

    private HostileBodies() {
    }

    static Arbitrary<byte[]> any() {
        return Arbitraries.oneOf(randomBytes(), deepNesting(), hugeNumbers(), duplicateKeys(), invalidUtf8(),
                hugeStrings(), corruptedIpn());
    }

    static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000);
    }

    static Arbitrary<byte[]> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 20_000), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of(true, false)).as((depth, open, closed) -> {
                    String close = open.equals("[") ? "]" : "}";
                    String body = "{\"payment_id\":1,\"x\":" + open.repeat(depth) + "1"
                            + (closed ? close.repeat(depth) : "") + "}";
                    return bytes(body);
                });
    }

    static Arbitrary<byte[]> hugeNumbers() {
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.integers().between(20, 5_000).map("9"::repeat),
                Arbitraries.integers().between(1, 400).map(n -> "1e" + "9".repeat(n)),
                Arbitraries.integers().between(300, 100_000).map(n -> "1e-" + n),
                Arbitraries.integers().between(1, 3_000).map(n -> "0." + "0".repeat(n) + "1"),
                Arbitraries.of("-0", "1E400", "-1e-400", "123456789012345678901234567890", "NaN", "Infinity"));
        return Combinators.combine(Arbitraries.of("payment_id", "price_amount", "outcome_amount", "pay_amount"),
                numbers).as((field, number) -> bytes(json(field, number)));
    }

    static Arbitrary<byte[]> duplicateKeys() {
        return Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE),
                Arbitraries.longs().between(1, Long.MAX_VALUE)).as((a, b) ->
                bytes("{\"payment_id\":" + a + ",\"payment_status\":\"finished\",\"payment_id\":" + b
                        + ",\"payment_status\":\"waiting\"}"));
    }

    static Arbitrary<byte[]> invalidUtf8() {
        return Arbitraries.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED,
                (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE2, (byte) 0x82})
                .map(bad -> {
                    byte[] prefix = bytes("{\"payment_id\":1,\"order_id\":\"PGP-1|");
                    byte[] suffix = bytes("\"}");
                    byte[] body = new byte[prefix.length + bad.length + suffix.length];
                    System.arraycopy(prefix, 0, body, 0, prefix.length);
                    System.arraycopy(bad, 0, body, prefix.length, bad.length);
                    System.arraycopy(suffix, 0, body, prefix.length + bad.length, suffix.length);
                    return body;
                });
    }

    static Arbitrary<byte[]> hugeStrings() {
        return Combinators.combine(Arbitraries.integers().between(1_000, 200_000),
                Arbitraries.of("a", "\\u0000", "\\\"", "é", "\uD83D\uDE00")).as((length, unit) ->
                bytes("{\"payment_id\":1,\"order_id\":\"" + unit.repeat(length / unit.length()) + "\"}"));
    }

    /** A real IPN with a few bytes overwritten, inserted or cut off. */
    static Arbitrary<byte[]> corruptedIpn() {
        return Combinators.combine(Arbitraries.integers().between(0, VALID.length - 1),
                Arbitraries.bytes(), Arbitraries.integers().between(0, 2)).as((at, value, how) -> {
                    byte[] body = switch (how) {
                        case 0 -> VALID.clone();
                        case 1 -> java.util.Arrays.copyOf(VALID, at);
                        default -> insert(VALID, at, value);
                    };
                    if (how == 0) {
                        body[at] = value;
                    }
                    return body;
                });
    }

    private static byte[] insert(byte[] original, int at, byte value) {
        byte[] body = new byte[original.length + 1];
        System.arraycopy(original, 0, body, 0, at);
        body[at] = value;
        System.arraycopy(original, at, body, at + 1, original.length - at);
        return body;
    }

    private static String json(String field, String number) {
        return "{\"payment_id\":" + (field.equals("payment_id") ? number : "4479119533")
                + ",\"payment_status\":\"finished\",\"" + field + "\":" + number + "}";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
