package io.ipnpipeline.ops.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ipnpipeline.ops.config.NowPaymentsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists payments from the NOWPayments API ({@code GET /v1/payment/} with {@code limit, page, dateFrom, dateTo,
 * sortBy, orderBy}), page by page, and reads one payment ({@code GET /v1/payment/{payment_id}}). Network errors, 429 and 5xx are retried a bounded number of times with a
 * doubling wait; anything else that is not a 2xx JSON page fails at once with what came back (an HTML error page
 * is named as such, by its title). The API key goes only into the {@code x-api-key} header: it is in no URL, no
 * message and no log line.
 */
public final class NowPaymentsClient {

    private static final Logger LOG = LoggerFactory.getLogger(NowPaymentsClient.class);
    static final String LIST_PATH = "/v1/payment/";
    /** A runaway {@code pagesCount} must not loop for ever. */
    static final int MAX_PAGES = 10_000;
    private static final int SNIPPET = 200;
    private static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
    private static final DateTimeFormatter API_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Exact decimals, unchanged: the page's payment objects become record bodies as they are. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final NowPaymentsConfig config;
    private final HttpClient http;
    private final Sleeper sleeper;

    /** Waits between tries; tests replace it to keep retries fast. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public NowPaymentsClient(NowPaymentsConfig config) {
        this(config, duration -> Thread.sleep(duration.toMillis()));
    }

    public NowPaymentsClient(NowPaymentsConfig config, Sleeper sleeper) {
        config.requireApiKey();
        this.config = config;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Every payment created in [from, to), oldest first, handed to {@code each} page by page. */
    public long listAll(Instant from, Instant to, Consumer<PaymentPage> each) {
        long seen = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            PaymentPage current = page(from, to, page);
            each.accept(current);
            seen += current.data().size();
            if (current.isLast()) {
                return seen;
            }
        }
        throw new NowPaymentsException("NOWPayments reported more than " + MAX_PAGES + " pages; narrow the window");
    }

    public PaymentPage page(Instant from, Instant to, int page) {
        URI uri = URI.create(config.apiUrl() + LIST_PATH + "?limit=" + config.pageSize() + "&page=" + page
                + "&sortBy=created_at&orderBy=asc&dateFrom=" + encode(API_TIME.format(from))
                + "&dateTo=" + encode(API_TIME.format(to)));
        HttpResponse<String> response = send(uri, "list page " + page);
        return parse(response, page);
    }

    /**
     * NOWPayments' own record of one payment (the IPN fields, as the list gives them). An answer that is not a 2xx
     * JSON object of that payment_id fails with what came back: the caller must never send another payment's record.
     */
    public ObjectNode payment(long paymentId) {
        String what = LIST_PATH + paymentId;
        HttpResponse<String> response = send(URI.create(config.apiUrl() + what), "payment " + paymentId);
        if (response.statusCode() / 100 != 2) {
            throw new NowPaymentsException("NOWPayments " + what + ": " + describe(response));
        }
        if (looksLikeHtml(response)) {
            throw new NowPaymentsException("NOWPayments " + what + " answered " + response.statusCode()
                    + " with an HTML page instead of JSON" + title(response.body())
                    + " (wrong NOWPAYMENTS_API_URL, or a proxy/maintenance page?)");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new NowPaymentsException("NOWPayments " + what + " answered with a body that is not JSON: "
                    + snippet(response.body()));
        }
        if (!(root instanceof ObjectNode payment) || !Long.toString(paymentId).equals(payment.path("payment_id")
                .asText())) {
            throw new NowPaymentsException("NOWPayments " + what + " answered JSON that is not payment " + paymentId
                    + ": " + snippet(response.body()));
        }
        return payment;
    }

    private HttpResponse<String> send(URI uri, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .header("x-api-key", config.apiKey().reveal())
                .GET();
        if (!config.bearerToken().isEmpty()) {
            request.header("Authorization", "Bearer " + config.bearerToken().reveal());
        }
        String failure = null;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            if (attempt > 1) {
                pause(config.retryBackoff().multipliedBy(1L << (attempt - 2)));
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (!retryable(response.statusCode())) {
                    return response;
                }
                failure = describe(response);
            } catch (IOException e) {
                failure = "no answer (" + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                        : ": " + e.getMessage()) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NowPaymentsException("interrupted while asking NOWPayments (" + what + ")");
            }
            LOG.warn("NOWPayments {} attempt {}/{} failed: {}", what, attempt, config.maxAttempts(), failure);
        }
        throw new NowPaymentsException("NOWPayments " + LIST_PATH + " " + what + " failed after "
                + config.maxAttempts() + " attempt(s): " + failure);
    }

    private PaymentPage parse(HttpResponse<String> response, int page) {
        if (response.statusCode() / 100 != 2) {
            throw new NowPaymentsException("NOWPayments " + LIST_PATH + " page " + page + ": " + describe(response));
        }
        if (looksLikeHtml(response)) {
            throw new NowPaymentsException("NOWPayments " + LIST_PATH + " page " + page + " answered "
                    + response.statusCode() + " with an HTML page instead of JSON" + title(response.body())
                    + " (wrong NOWPAYMENTS_API_URL, or a proxy/maintenance page?)");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new NowPaymentsException("NOWPayments " + LIST_PATH + " page " + page
                    + " answered with a body that is not JSON: " + snippet(response.body()));
        }
        JsonNode data = root == null ? null : root.get("data");
        if (data == null || !data.isArray()) {
            throw new NowPaymentsException("NOWPayments " + LIST_PATH + " page " + page
                    + " answered JSON without a 'data' array: " + snippet(response.body()));
        }
        List<ObjectNode> payments = new ArrayList<>();
        data.forEach(node -> {
            if (node instanceof ObjectNode object) {
                payments.add(object);
            }
        });
        return new PaymentPage(payments, root.path("limit").asInt(config.pageSize()), root.path("page").asInt(page),
                root.path("pagesCount").asInt(page + 1), root.path("total").asLong(payments.size()));
    }

    private static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NowPaymentsException("interrupted while waiting to retry NOWPayments");
        }
    }

    /** Status and what the body says: the API's JSON message, an HTML page's title, or the start of the text. */
    static String describe(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        if (looksLikeHtml(response)) {
            return "HTTP " + response.statusCode() + " with an HTML error page" + title(body);
        }
        try {
            JsonNode json = MAPPER.readTree(body);
            if (json != null && json.hasNonNull("message")) {
                return "HTTP " + response.statusCode() + ": " + snippet(json.get("message").asText());
            }
        } catch (JsonProcessingException notJson) {
            // fall through to the plain text
        }
        return "HTTP " + response.statusCode() + (body.isBlank() ? " (empty body)" : ": " + snippet(body));
    }

    private static boolean looksLikeHtml(HttpResponse<String> response) {
        Optional<String> type = response.headers().firstValue("Content-Type");
        String body = response.body() == null ? "" : response.body().stripLeading();
        return type.map(t -> t.toLowerCase(Locale.ROOT).contains("html")).orElse(false)
                || body.startsWith("<");
    }

    private static String title(String body) {
        Matcher matcher = TITLE.matcher(body == null ? "" : body);
        return matcher.find() ? " titled '" + snippet(matcher.group(1).strip()) + "'" : "";
    }

    private static String snippet(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= SNIPPET ? flat : flat.substring(0, SNIPPET) + "...";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
