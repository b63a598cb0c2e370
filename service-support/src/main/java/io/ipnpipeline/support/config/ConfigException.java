package io.ipnpipeline.support.config;

/** A configuration value is missing or wrong; the message names the variable and what it must be. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
