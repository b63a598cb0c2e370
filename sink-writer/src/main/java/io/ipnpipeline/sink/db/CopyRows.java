package io.ipnpipeline.sink.db;

import io.ipnpipeline.contracts.ipn.IsoInstants;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows for {@code COPY <stage> FROM STDIN} (text format), the fastest way to hand PostgreSQL a batch: no array
 * literals to quote and parse, each value goes straight to its column type's input function. Decimals travel as
 * their plain string and timestamps as ISO-8601, so no value ever passes through a double.
 */
final class CopyRows implements AutoCloseable {

    /** Sent to the server in pieces this big, so a batch never needs one huge (humongous, for G1) buffer. */
    private static final int CHUNK_CHARS = 32 * 1024;

    private final CopyIn copy;
    private final StringBuilder text = new StringBuilder(CHUNK_CHARS + 4 * 1024);
    private boolean rowStart = true;

    private CopyRows(CopyIn copy) {
        this.copy = copy;
    }

    /** Starts {@code COPY table FROM STDIN} on the connection; add rows, then {@link #finish()}. */
    static CopyRows into(Connection connection, String table) throws SQLException {
        return new CopyRows(connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN"));
    }

    CopyRows add(Long value) {
        return value == null ? nul() : raw(Long.toString(value));
    }

    CopyRows add(long value) {
        separate();
        text.append(value);
        return this;
    }

    CopyRows add(Integer value) {
        return value == null ? nul() : raw(Integer.toString(value));
    }

    CopyRows add(boolean value) {
        return raw(value ? "t" : "f");
    }

    CopyRows add(BigDecimal value) {
        return value == null ? nul() : raw(value.toPlainString());
    }

    CopyRows add(Instant value) {
        return value == null ? nul() : raw(IsoInstants.format(value));
    }

    /**
     * Any text; backslash, tab, newline and carriage return are escaped as COPY's text format requires, and a NUL
     * or an unpaired surrogate becomes U+FFFD ({@link NulFree}).
     */
    CopyRows add(String value) {
        return value == null ? nul() : escaped(NulFree.text(value));
    }

    /**
     * JSON for a jsonb column: as {@link #add(String)}, and escapes of U+0000 or of an unpaired surrogate become
     * escapes of U+FFFD.
     */
    CopyRows addJson(String value) {
        return value == null ? nul() : escaped(NulFree.json(value));
    }

    CopyRows endRow() throws SQLException {
        text.append('\n');
        rowStart = true;
        if (text.length() >= CHUNK_CHARS) {
            flush();
        }
        return this;
    }

    /** Sends the rest and ends the COPY; returns the number of rows copied. */
    long finish() throws SQLException {
        flush();
        return copy.endCopy();
    }

    /** Abandons an unfinished COPY, so the connection can be rolled back and reused. */
    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }

    private void flush() throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
    }

    private CopyRows nul() {
        return raw("\\N");
    }

    private CopyRows escaped(String value) {
        separate();
        CopyText.appendEscaped(text, value);
        return this;
    }

    /** A value whose text needs no escaping (numbers, booleans, timestamps, \N). */
    private CopyRows raw(String value) {
        separate();
        text.append(value);
        return this;
    }

    private void separate() {
        if (!rowStart) {
            text.append('\t');
        }
        rowStart = false;
    }
}
