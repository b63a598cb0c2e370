package io.ipnpipeline.reliability.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.ipnpipeline.contracts.ipn.IpnBodyBuilder;
import io.ipnpipeline.contracts.signature.IpnSigner;
import io.ipnpipeline.contracts.signature.SignatureForm;
import io.ipnpipeline.localstack.ipn.IpnSender;
import io.ipnpipeline.reliability.hostile.StandaloneGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Secrets never reach a log line: the gateway is started (its configuration is logged), accepts a signed IPN,
 * refuses a forged one and a body with the secret inside it, and answers a status query; no log event at any
 * level, message or stack trace, contains the IPN secret, the database password or a full signature.
 */
class SecretsNotLoggedIT {

    private static final String DB_PASSWORD = "db-password-7f3a91c2e5";

    @Test
    void noLogLineContainsTheSecretThePasswordOrASignature() throws Exception {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.ipnpipeline");
        Level rootLevel = root.getLevel();
        Level ourLevel = ours.getLevel();
        // the test's logback configuration filters below INFO: open every level, or a secret logged at DEBUG or
        // TRACE would never reach the appender
        root.setLevel(Level.DEBUG);
        ours.setLevel(Level.TRACE);
        captured.start();
        root.addAppender(captured);
        assertThat(LoggerFactory.getLogger("io.ipnpipeline.gateway.GatewayService").isTraceEnabled())
                .as("our loggers open at every level").isTrue();
        assertThat(LoggerFactory.getLogger("io.vertx.core.http").isDebugEnabled()).as("the libraries' at DEBUG").isTrue();
        byte[] body = IpnBodyBuilder.incidentPayment().toBytes();
        String signature = IpnSigner.sign(StandaloneGateway.SECRET, body, SignatureForm.DEEP_SORTED);
        try (StandaloneGateway gateway = StandaloneGateway.start("secrets-not-logged",
                Map.of("PIPELINE_DB_PASSWORD", DB_PASSWORD))) {
            IpnSender sender = new IpnSender();
            URI ipn = IpnSender.ipnUrl(gateway.url());
            assertThat(sender.post(ipn, body, signature).status()).isEqualTo(200);
            assertThat(sender.post(ipn, body, signature.replace('a', 'b')).status()).isEqualTo(401);
            byte[] leaky = IpnBodyBuilder.incidentPayment().orderId(StandaloneGateway.SECRET).toBytes();
            assertThat(sender.post(ipn, leaky, "0".repeat(128)).status()).isEqualTo(401);
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(gateway.url() + "/api/payment-status?order_id=PGP-1%7C-1001")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } finally {
            root.detachAppender(captured);
            root.setLevel(rootLevel);
            ours.setLevel(ourLevel);
        }

        List<String> lines = captured.list.stream().map(SecretsNotLoggedIT::text).toList();
        assertThat(lines).as("captured the gateway's logging").anyMatch(line -> line.contains("starting ingest-gateway"));
        assertThat(lines).noneMatch(line -> line.contains(StandaloneGateway.SECRET))
                .noneMatch(line -> line.contains(DB_PASSWORD))
                .noneMatch(line -> line.contains(signature))
                .noneMatch(line -> line.contains(signature.substring(0, 32)));
    }

    private static String text(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        return event.getThrowableProxy() == null ? message
                : message + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
}
