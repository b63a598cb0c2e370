package io.ipnpipeline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.testsupport.TestInfra;
import io.ipnpipeline.testsupport.TestNames;
import io.ipnpipeline.testsupport.TestSchema;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The landing page in a real browser (Debian's headless chromium) against a real gateway and PostgreSQL:
 * progress while processing, the invite step once confirmed, the delay notice with the support contact, and a
 * hostile support contact shown as text. Skipped where /usr/bin/chromium is not installed.
 */
class LandingPageIT {

    private static final String CONTACT = "@ipn_support";
    private static final String HOSTILE_CONTACT = "\"><img src=x id=injected onerror=alert(1)><script>window.x=1</script>";
    private static final AtomicLong IDS = new AtomicLong(7_300_000_000L);
    /** Where the screenshot kept in the repository is written by this test. */
    private static final Path KEPT_SCREENSHOT = Path.of("..", "docs", "landing-page-delayed.png");

    private static TestSchema schema;
    private static GatewayService gateway;
    private static GatewayService hostileGateway;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() {
        schema = TestSchema.create("landing-page");
        TopicNames topics = TestNames.topics("landing-page");
        Map<String, String> env = Gateways.env(TestInfra.bootstrapServers(), topics, schema.env());
        env.put(GatewayConfig.SUPPORT_CONTACT, CONTACT);
        gateway = Gateways.start(env);
        env.put(GatewayConfig.SUPPORT_CONTACT, HOSTILE_CONTACT);
        hostileGateway = Gateways.start(env);
        chromium = new HeadlessChromium(Path.of("target", "chromium"));
        GatewayClient client = new GatewayClient(gateway.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/health/live").statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (hostileGateway != null) {
            hostileGateway.close();
        }
        schema.close();
    }

    @Test
    void servesThePageWithTheContactEscapedAndAStrictPolicy() {
        HttpResponse<String> page = new GatewayClient(hostileGateway.port()).get("/payment-processing.html");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'sha256-").doesNotContain("unsafe-eval").contains("connect-src 'self'");
        assertThat(page.body()).doesNotContain("<img src=x").doesNotContain("window.x=1</script>")
                .contains("&quot;&gt;&lt;img src=x id=injected");
    }

    @Test
    void processingShowsProgressAndConfirmedShowsTheInviteStep() {
        assumeTrue(HeadlessChromium.available(), "needs /usr/bin/chromium (apt-get install chromium)");
        String processing = order("processing");
        String dom = chromium.dumpDom(pageUrl(gateway, processing, null), 2_000);
        assertThat(dom).contains("data-status=\"processing\"").contains("data-delayed=\"false\"")
                .contains("Payment received").contains("waiting for confirmation on the blockchain");
        assertThat(visible(dom, "next")).isFalse();

        String confirmed = order("confirmed");
        dom = chromium.dumpDom(pageUrl(gateway, confirmed, null), 2_000);
        assertThat(dom).contains("data-status=\"confirmed\"").contains("Payment confirmed");
        assertThat(visible(dom, "next")).isTrue();
        assertThat(dom).contains("invite link").contains("href=\"https://t.me/ipn_support\"");
    }

    @Test
    void stillProcessingAfterTheDelayShowsTheNoticeWithTheSupportContact() throws Exception {
        assumeTrue(HeadlessChromium.available(), "needs /usr/bin/chromium (apt-get install chromium)");
        String processing = order("processing");
        // delay_after=4: the poll at 5 s of virtual time is past it, as the poll after 5 minutes would be
        String url = pageUrl(gateway, processing, 4);
        String dom = chromium.dumpDom(url, 7_000);
        assertThat(dom).contains("data-status=\"processing\"").contains("data-delayed=\"true\"")
                .contains("Payment received, processing is delayed.").contains(">@ipn_support</a>");
        assertThat(visible(dom, "delayed")).isTrue();

        Path screenshot = Path.of("target", "landing-page-delayed.png");
        chromium.screenshot(url, 7_000, screenshot);
        assertThat(Files.size(screenshot)).isGreaterThan(5_000);
        // -Dipn.keepScreenshot refreshes the copy kept in the repository; normal runs leave the tree clean
        if (System.getProperty("ipn.keepScreenshot") != null && Files.isDirectory(KEPT_SCREENSHOT.getParent())) {
            Files.copy(screenshot, KEPT_SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void aHostileSupportContactIsShownAsTextNeverRunAsMarkup() {
        assumeTrue(HeadlessChromium.available(), "needs /usr/bin/chromium (apt-get install chromium)");
        String processing = order("processing");
        String dom = chromium.dumpDom(pageUrl(hostileGateway, processing, 1), 7_000);
        assertThat(dom).contains("data-delayed=\"true\"")
                .doesNotContain("id=\"injected\"")
                .contains("&lt;img src=x id=injected onerror=alert(1)&gt;&lt;script&gt;");
    }

    private static boolean visible(String dom, String id) {
        int at = dom.indexOf("id=\"" + id + "\"");
        assertThat(at).as("element #%s in the DOM", id).isPositive();
        String tag = dom.substring(dom.lastIndexOf('<', at), dom.indexOf('>', at));
        return !tag.contains("hidden");
    }

    private static String pageUrl(GatewayService target, String orderId, Integer delayAfter) {
        return "http://127.0.0.1:" + target.port() + "/payment-processing.html?order_id="
                + URLEncoder.encode(orderId, StandardCharsets.UTF_8)
                + (delayAfter == null ? "" : "&delay_after=" + delayAfter);
    }

    /** A ledger row for a fresh order in {@code word}; returns the order id. */
    private static String order(String word) {
        long id = IDS.incrementAndGet();
        long userId = id - 7_000_000_000L;
        long openChannelId = -1_003_500_000_000L - (id % 1_000_000L);
        String orderId = "PGP-" + userId + "|" + openChannelId;
        String status = "confirmed".equals(word) ? "finished" : "confirming";
        int rank = "confirmed".equals(word) ? 62 : 22;
        try (Connection connection = schema.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO payments (payment_id, order_id,"
                        + " user_id, open_channel_id, status, status_rank, status_word, last_ipn, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, '{}'::jsonb, ?)")) {
            insert.setLong(1, id);
            insert.setString(2, orderId);
            insert.setLong(3, userId);
            insert.setLong(4, openChannelId);
            insert.setString(5, status);
            insert.setInt(6, rank);
            insert.setString(7, word);
            insert.setTimestamp(8, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return orderId;
    }
}
