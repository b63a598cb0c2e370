package io.ipnpipeline.contracts.mapping;

import java.math.BigDecimal;

/** One subscription tier of a channel: pay {@code priceUsd}, get {@code days} of access. */
public record Tier(int index, BigDecimal priceUsd, int days) {
}
