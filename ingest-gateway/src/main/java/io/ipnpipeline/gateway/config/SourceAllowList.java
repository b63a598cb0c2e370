package io.ipnpipeline.gateway.config;

import io.ipnpipeline.support.config.ConfigException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The optional source-address allow-list for IPNs ({@code IPN_ALLOWED_SOURCES}): single addresses and CIDR
 * blocks, IPv4 or IPv6, comma-separated. Empty (the default) allows every source; the signature is always
 * checked anyway, so this is defence in depth, never the only check.
 *
 * <p>It matches the TCP peer address only. {@code X-Forwarded-For} is deliberately ignored: any client can send
 * it, and trusting it correctly needs the proxy chain's exact shape. Behind a reverse proxy or load balancer,
 * enforce the allow-list there (or leave it off here).
 */
public final class SourceAllowList {

    public static final String VARIABLE = "IPN_ALLOWED_SOURCES";

    /**
     * Literal addresses only: a host name here would mean a DNS lookup and a spoofable answer, and Java's lenient
     * IPv4 forms ({@code 1.2.3} is 1.2.0.3) would surprise whoever wrote the list.
     */
    private static final Pattern LITERAL = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int shift = address.length * 8 - prefixBits;
            return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }

    private final List<Block> blocks;
    private final List<String> entries;

    private SourceAllowList(List<Block> blocks, List<String> entries) {
        this.blocks = List.copyOf(blocks);
        this.entries = List.copyOf(entries);
    }

    public static SourceAllowList allowAll() {
        return new SourceAllowList(List.of(), List.of());
    }

    /** Parses the entries; a malformed one fails start-up with a message naming the variable. */
    public static SourceAllowList parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            blocks.add(block(entry.strip()));
        }
        return new SourceAllowList(blocks, entries.stream().map(String::strip).toList());
    }

    private static Block block(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        byte[] bytes = literal(address, entry);
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw invalid(entry);
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw invalid(entry);
            }
        }
        return new Block(bytes, bits);
    }

    private static byte[] literal(String address, String entry) {
        if (address.isEmpty() || !LITERAL.matcher(address).matches()) {
            throw invalid(entry);
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw invalid(entry);
        }
    }

    private static ConfigException invalid(String entry) {
        return new ConfigException(VARIABLE + " has an entry that is not an IP address or CIDR block: '" + entry
                + "'");
    }

    /** Whether the list is in force at all. */
    public boolean isEnabled() {
        return !blocks.isEmpty();
    }

    /** Whether an IPN from {@code peerAddress} (the TCP peer, as text) may proceed to the signature check. */
    public boolean allows(String peerAddress) {
        if (!isEnabled()) {
            return true;
        }
        if (peerAddress == null || !LITERAL.matcher(peerAddress).matches()) {
            return false;
        }
        byte[] address;
        try {
            address = InetAddress.getByName(peerAddress).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return isEnabled() ? entries.toString() : "off";
    }
}
