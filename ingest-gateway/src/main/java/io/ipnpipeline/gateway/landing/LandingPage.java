package io.ipnpipeline.gateway.landing;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /payment-processing.html}: the page a customer lands on after paying. It polls the status API and
 * says what happens next. Rendered once at start: the configured support contact is HTML-escaped into an
 * attribute the page's script reads as text (never as markup), and the Content-Security-Policy allows only the
 * page's own inline script (by its hash) and requests to this origin.
 */
public final class LandingPage implements Handler<RoutingContext> {

    public static final String ROUTE = "/payment-processing.html";
    static final String RESOURCE = "webroot/payment-processing.html";
    static final String CONTACT_PLACEHOLDER = "{{SUPPORT_CONTACT}}";
    private static final Pattern SCRIPT = Pattern.compile("(?s)<script>(.*?)</script>");

    private final String html;
    private final String contentSecurityPolicy;

    public LandingPage(String supportContact) {
        String template = load();
        this.html = template.replace(CONTACT_PLACEHOLDER, escapeHtml(supportContact));
        this.contentSecurityPolicy = "default-src 'none'; script-src '" + scriptHash(html) + "'; "
                + "style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'none'";
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("Content-Security-Policy", contentSecurityPolicy)
                .putHeader("X-Content-Type-Options", "nosniff")
                // the order id is in the URL; it must not travel to other sites in a Referer
                .putHeader("Referrer-Policy", "no-referrer")
                .end(html);
    }

    /** Escapes everything that could end an attribute or start markup. */
    static String escapeHtml(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                case '`' -> escaped.append("&#96;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String scriptHash(String page) {
        Matcher script = SCRIPT.matcher(page);
        if (!script.find()) {
            throw new IllegalStateException(RESOURCE + " has no inline script");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(script.group(1).getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present in the JDK", e);
        }
    }

    private static String load() {
        try (InputStream in = LandingPage.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
