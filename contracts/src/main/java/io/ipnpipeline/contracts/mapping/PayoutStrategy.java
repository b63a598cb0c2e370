package io.ipnpipeline.contracts.mapping;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a channel's client is paid: each payment at once, or once a USD threshold accumulates. */
public enum PayoutStrategy {
    INSTANT("instant"),
    THRESHOLD("threshold");

    private final String word;

    PayoutStrategy(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    /** Unknown words are an error, never silently mapped to a default: a payout must not guess. */
    @JsonCreator
    public static PayoutStrategy fromWord(String word) {
        String wanted = word == null ? "" : word.trim().toLowerCase(Locale.ROOT);
        for (PayoutStrategy value : values()) {
            if (value.word.equals(wanted)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unknown payout_strategy: " + word);
    }
}
