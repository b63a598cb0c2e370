package io.ipnpipeline.support.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads environment variables with documented defaults and fails fast with a message that names the
 * variable. Services build their immutable config record from one of these; tests pass a map.
 */
public final class Env {

    private final Function<String, String> source;

    private Env(Function<String, String> source) {
        this.source = source;
    }

    public static Env system() {
        return new Env(System::getenv);
    }

    public static Env of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return new Env(copy::get);
    }

    /** The raw lookup, for code such as {@code TopicNames.fromEnv} that takes a function. */
    public Function<String, String> lookup() {
        return source;
    }

    public Optional<String> optional(String name) {
        String value = source.apply(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name + " is required but not set"));
    }

    public Secret requiredSecret(String name) {
        // a secret is not trimmed beyond what NOWPayments' own code does (trim), and never echoed back
        return new Secret(required(name));
    }

    public Secret secret(String name, String defaultValue) {
        return new Secret(optional(name).orElse(defaultValue));
    }

    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + value.get() + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    public long longValue(String name, long defaultValue, long min, long max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a whole number, got '" + value.get() + "'");
        }
        if (parsed < min || parsed > max) {
            throw new ConfigException(name + " must be between " + min + " and " + max + ", got " + parsed);
        }
        return parsed;
    }

    public boolean bool(String name, boolean defaultValue) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(name + " must be true or false, got '" + value.get() + "'");
        };
    }

    /** A comma-separated list; empty when unset. */
    public List<String> list(String name) {
        return optional(name)
                .map(value -> Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }
}
