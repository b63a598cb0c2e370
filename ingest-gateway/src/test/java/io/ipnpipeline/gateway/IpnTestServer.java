package io.ipnpipeline.gateway;

import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.http.HeaderDeadlines;
import io.ipnpipeline.gateway.http.ServerOptions;
import io.ipnpipeline.gateway.ipn.IpnEndpoint;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.gateway.ipn.IpnPublisher;
import io.ipnpipeline.gateway.ipn.SignatureCheck;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.ipnpipeline.support.config.Env;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gateway's IPN routes and error answers on a real Vert.x HTTP server, wired as the gateway wires them, with
 * Kafka's {@link MockProducer} standing in so acks can be held back and released at will.
 */
final class IpnTestServer implements AutoCloseable {

    static final String GOOD = "good-signature";
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");
    /** Stands in for the verifier: its own tests prove HMAC; here only "matched or not" matters. */
    static final SignatureCheck CHECK = (body, signature) -> GOOD.equals(signature)
            ? Optional.of(new SignatureCheck.Match("current", "deep-sorted")) : Optional.empty();

    final Vertx vertx;
    final MockProducer<String, byte[]> producer;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final HttpServer server;

    private IpnTestServer(int maxInFlight, Duration publishTimeout, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of(GatewayConfig.IPN_SECRET, "x", GatewayConfig.MAX_BODY_BYTES, "2048"));
        all.putAll(env);
        GatewayConfig config = GatewayConfig.fromEnv(Env.of(all));
        vertx = Vertx.vertx();
        producer = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        GatewayMetrics metrics = new GatewayMetrics(registry);
        IpnPublisher publisher = new IpnPublisher(vertx, producer, publishTimeout, maxInFlight, metrics);
        IpnHandler handler = new IpnHandler("ipn.raw", CHECK, publisher, metrics, maxInFlight);
        Router router = Router.router(vertx);
        router.route().handler(Routes::requestId);
        IpnEndpoint endpoint = new IpnEndpoint(vertx, config, handler, metrics);
        Routes.mountIpn(router, endpoint);
        Routes.mountErrors(router);
        server = new HeaderDeadlines(vertx, config.headerTimeout())
                .install(vertx.createHttpServer(ServerOptions.base()), Routes.front(endpoint, router)).listen(0)
                .await(10, TimeUnit.SECONDS);
    }

    static IpnTestServer start(int maxInFlight, Duration publishTimeout, Map<String, String> env) throws Exception {
        return new IpnTestServer(maxInFlight, publishTimeout, env);
    }

    int port() {
        return server.actualPort();
    }

    /** A raw connection, for what an HTTP client library will not send. */
    Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", port());
        socket.setSoTimeout(8_000);
        return socket;
    }

    static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One response: its head, then as many body bytes as its Content-Length says. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.write(next);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        Matcher length = CONTENT_LENGTH.matcher(text);
        if (length.find()) {
            text += new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
        }
        return text.toLowerCase(Locale.ROOT).startsWith("http/1.1") ? text : "not a response: " + text;
    }

    /** How many IPN requests were answered with this outcome word. */
    double counted(String outcome) {
        Counter counter = registry.find("gateway.requests").tag("route", IpnHandler.ROUTE).tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() throws TimeoutException {
        server.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
