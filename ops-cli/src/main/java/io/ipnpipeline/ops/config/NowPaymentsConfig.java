package io.ipnpipeline.ops.config;

import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * The NOWPayments API as reconciliation uses it. The key is a {@link Secret}: it goes into the
 * {@code x-api-key} header and nowhere else.
 *
 * @param apiUrl         {@code NOWPAYMENTS_API_URL}, default {@value #DEFAULT_API_URL}
 * @param apiKey         {@code NOWPAYMENTS_API_KEY}; required by {@code reconcile} only
 * @param bearerToken    {@code NOWPAYMENTS_AUTH_TOKEN}: optional JWT sent as {@code Authorization: Bearer},
 *                       for accounts where the payment list also asks for one
 * @param pageSize       {@code NOWPAYMENTS_PAGE_SIZE} (the API's {@code limit}), default 100
 * @param maxAttempts    tries per page for network errors, 429 and 5xx ({@code NOWPAYMENTS_MAX_ATTEMPTS}, 3)
 * @param retryBackoff   wait before the second try, doubled for each further one ({@code NOWPAYMENTS_RETRY_BACKOFF_MS})
 * @param requestTimeout one request's limit ({@code NOWPAYMENTS_TIMEOUT_MS}, 15 s)
 */
public record NowPaymentsConfig(
        URI apiUrl,
        Secret apiKey,
        Secret bearerToken,
        int pageSize,
        int maxAttempts,
        Duration retryBackoff,
        Duration requestTimeout) {

    public static final String API_URL = "NOWPAYMENTS_API_URL";
    public static final String API_KEY = "NOWPAYMENTS_API_KEY";
    public static final String AUTH_TOKEN = "NOWPAYMENTS_AUTH_TOKEN";
    public static final String PAGE_SIZE = "NOWPAYMENTS_PAGE_SIZE";
    public static final String MAX_ATTEMPTS = "NOWPAYMENTS_MAX_ATTEMPTS";
    public static final String RETRY_BACKOFF_MS = "NOWPAYMENTS_RETRY_BACKOFF_MS";
    public static final String TIMEOUT_MS = "NOWPAYMENTS_TIMEOUT_MS";
    public static final String DEFAULT_API_URL = "https://api.nowpayments.io";

    public NowPaymentsConfig {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    public static NowPaymentsConfig fromEnv(Env env) {
        return new NowPaymentsConfig(
                url(env.string(API_URL, DEFAULT_API_URL)),
                env.secret(API_KEY, ""),
                env.secret(AUTH_TOKEN, ""),
                env.integer(PAGE_SIZE, 100, 1, 500),
                env.integer(MAX_ATTEMPTS, 3, 1, 10),
                Duration.ofMillis(env.integer(RETRY_BACKOFF_MS, 1_000, 0, 60_000)),
                Duration.ofMillis(env.integer(TIMEOUT_MS, 15_000, 100, 300_000)));
    }

    /** Fails with a message naming the variable when the key is not set; reconciliation cannot run without it. */
    public void requireApiKey() {
        if (apiKey.isEmpty()) {
            throw new ConfigException(API_KEY + " is required for reconcile but not set");
        }
    }

    private static boolean loopback(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equalsIgnoreCase("localhost") || bare.startsWith("127.") || bare.equals("::1");
    }

    private static URI url(String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(API_URL + " must be an http(s) URL, got '" + value + "'");
            }
            if ("http".equals(uri.getScheme()) && !loopback(uri.getHost())) {
                // reconciliation trusts the (unsigned) answer and may inject finished payments that lead to payouts
                throw new ConfigException(API_URL + " must be https (plain http only for this host, e.g. a test"
                        + " double): the API key would travel in clear text and the answer could be forged, got '"
                        + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(API_URL + " must be an http(s) URL, got '" + value + "'");
        }
    }
}
