package io.ipnpipeline.support.config;

import java.util.Objects;

/**
 * A secret value (IPN secret, database password, API key). Its {@code toString} never shows it, so a
 * config record that holds one can be logged whole.
 */
public record Secret(String value) {

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /** Only for the code that must use it (a MAC key, a JDBC login). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(empty)" : "****";
    }
}
