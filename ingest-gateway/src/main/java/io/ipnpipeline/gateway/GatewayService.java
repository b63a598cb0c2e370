package io.ipnpipeline.gateway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.gateway.http.HeaderDeadlines;
import io.ipnpipeline.gateway.http.ServerOptions;
import io.ipnpipeline.gateway.ipn.IpnHandler;
import io.ipnpipeline.gateway.ipn.IpnPublisher;
import io.ipnpipeline.gateway.ipn.SignatureCheck;
import io.ipnpipeline.gateway.ipn.VerifierSignatureCheck;
import io.ipnpipeline.gateway.ops.GatewayMetrics;
import io.ipnpipeline.gateway.ops.Readiness;
import io.ipnpipeline.gateway.ops.StuckPayments;
import io.ipnpipeline.gateway.ops.TopicEnsurer;
import io.ipnpipeline.gateway.status.PaymentStatusHandler;
import io.ipnpipeline.gateway.status.PaymentStatusRepository;
import io.ipnpipeline.support.db.Pools;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: public HTTP server, operations server (health and metrics), Kafka producer, status-API
 * pool, metrics. {@link #start} returns once both servers listen; {@link #close} shuts down gracefully. The local
 * stack and end-to-end tests drive it through this class; {@link GatewayMain} only adds configuration from the
 * environment and a shutdown hook.
 */
public final class GatewayService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);
    private static final long START_TIMEOUT_SECONDS = 30;
    /** A probe or scrape in flight gets this long to finish at shutdown. */
    private static final long OPS_GRACE_MILLIS = 2_000;
    /**
     * The readiness pool waits no longer than this for its connection: with one probe at a time and a check of
     * milliseconds, only a PostgreSQL that does not answer makes it wait, and the probe must answer within a
     * balancer's few seconds.
     */
    private static final long READINESS_CONNECTION_TIMEOUT_MS = 1_000;

    private final GatewayConfig config;
    private final Vertx vertx;
    private final PrometheusMeterRegistry registry;
    private final HikariDataSource dataSource;
    private final HikariDataSource readinessDataSource;
    private final Admin admin;
    private final TopicEnsurer topicEnsurer;
    private final IpnPublisher publisher;
    private final KafkaClientMetrics producerMetrics;
    private final WorkerExecutor dbWorkers;
    private final WorkerExecutor opsWorkers;
    private final StuckPayments stuckPayments;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final List<HttpServer> opsServers = new CopyOnWriteArrayList<>();
    private volatile int port;
    private volatile int opsPort;
    private boolean closed;

    private GatewayService(GatewayConfig config, SignatureCheck signatures) {
        this.config = config;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        GatewayMetrics metrics = new GatewayMetrics(registry);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops()));
        this.dataSource = Pools.create(config.database(), "gateway-status", config.dbPoolSize(), bounded(config));
        // its own connection: status polls waiting on a lock may hold every status connection, and readiness
        // must then still say whether PostgreSQL answers, or balancers take the gateway (and its IPN intake,
        // which never needs PostgreSQL) out of rotation
        this.readinessDataSource = Pools.create(config.database(), "gateway-readiness", 1,
                bounded(config).andThen(hikari -> {
                    hikari.setConnectionTimeout(READINESS_CONNECTION_TIMEOUT_MS);
                    hikari.setValidationTimeout(READINESS_CONNECTION_TIMEOUT_MS / 2);
                }));
        this.admin = Admin.create(adminSettings(config));
        this.topicEnsurer = TopicEnsurer.start(admin, config);
        Producer<String, byte[]> producer = IpnPublisher.createProducer(config);
        this.producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(registry);
        this.publisher = new IpnPublisher(vertx, producer, config.publishTimeout(), config.maxInFlight(), metrics);
        // JDBC never runs on an event loop: one worker per pooled connection, waiting no longer than Hikari's timeout
        this.dbWorkers = vertx.createSharedWorkerExecutor("gateway-db", config.dbPoolSize());
        this.opsWorkers = vertx.createSharedWorkerExecutor("gateway-ops", 2);
        this.stuckPayments = new StuckPayments(vertx, dataSource, opsWorkers, registry);
        Readiness readiness = new Readiness(admin, config.ipnRawTopic(), readinessDataSource);
        IpnHandler ipn = new IpnHandler(config.ipnRawTopic(), signatures, publisher, metrics, config.maxInFlight());
        PaymentStatusHandler status = new PaymentStatusHandler(new PaymentStatusRepository(dataSource), dbWorkers,
                metrics, config.dbPoolSize() * 32);
        try {
            // operations first: by the first IPN accepted, its metrics can be scraped
            listenOps(Routes.ops(vertx, readiness, registry, opsWorkers));
            listen(Routes.build(vertx, config, ipn, status, readiness, metrics, opsWorkers));
        } catch (RuntimeException e) {
            // a port in use must stop the process, not leave Vert.x's threads and the producer running
            close();
            throw e;
        }
    }

    /** Starts the gateway; returns once it accepts connections. */
    public static GatewayService start(GatewayConfig config) {
        LOG.info("starting ingest-gateway with {}", config);
        return new GatewayService(config, VerifierSignatureCheck.fromConfig(config));
    }

    /** The public port it listens on (the chosen one when {@code GATEWAY_PORT} is 0). */
    public int port() {
        return port;
    }

    /** The port of health and metrics (the chosen one when {@code GATEWAY_OPS_PORT} is 0). */
    public int opsPort() {
        return opsPort;
    }

    public GatewayConfig config() {
        return config;
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** An event loop per core: the work per request is microseconds, so more would only add switching. */
    private static int eventLoops() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Every gateway query is bounded: a lock or a slow plan frees the connection with an error, not minutes later. */
    private static Consumer<HikariConfig> bounded(GatewayConfig config) {
        return hikari -> hikari.setConnectionInitSql(config.dbSessionSql());
    }

    private static Map<String, Object> adminSettings(GatewayConfig config) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "ingest-gateway-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    }

    /**
     * One server per event loop on the same port; Vert.x spreads connections over them. Port 0 (any free port)
     * becomes Vert.x's -1, which makes the servers share one random port instead of taking one each.
     */
    private void listen(Handler<HttpServerRequest> requests) {
        HttpServerOptions options = ServerOptions.base()
                .setHost(config.host())
                .setPort(config.port() == 0 ? -1 : config.port());
        deploy(requests, options, eventLoops(), servers, GatewayConfig.PORT);
        port = servers.get(0).actualPort();
        LOG.info("ingest-gateway listening on {}:{} ({} event loops)", config.host(), port, eventLoops());
    }

    /** One server: it answers probes and scrapes, not traffic. */
    private void listenOps(Handler<HttpServerRequest> requests) {
        HttpServerOptions options = ServerOptions.base()
                .setHost(config.host())
                .setPort(config.opsPort());
        deploy(requests, options, 1, opsServers, GatewayConfig.OPS_PORT);
        opsPort = opsServers.get(0).actualPort();
        LOG.info("ingest-gateway operations endpoints (/health/live, /health/ready, /metrics) on {}:{}",
                config.host(), opsPort);
    }

    private void deploy(Handler<HttpServerRequest> requests, HttpServerOptions options, int instances,
            List<HttpServer> started, String variable) {
        Future<String> deployed = vertx.deployVerticle(() -> context -> new HeaderDeadlines(vertx,
                config.headerTimeout()).install(vertx.createHttpServer(options), requests)
                .listen()
                .onSuccess(started::add), new DeploymentOptions().setInstances(instances));
        String where = variable + " " + options.getHost() + ":" + Math.max(0, options.getPort());
        try {
            deployed.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("HTTP server on " + where + " did not start within "
                    + START_TIMEOUT_SECONDS + " s", e);
        } catch (Exception e) {
            // await rethrows the listen failure as it is, checked ones included (a BindException for a port in use)
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot listen on " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * Graceful: stop accepting, let every request in flight get its answer (each is answered within the publish
     * timeout, 200 after an ack or 503), then flush and close the producer, then the rest.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long graceMillis = config.publishTimeout().toMillis() + 1_000;
        LOG.info("ingest-gateway shutting down: draining requests for up to {} ms", graceMillis);
        for (HttpServer server : servers) {
            awaitQuietly(server.shutdown(graceMillis, TimeUnit.MILLISECONDS), graceMillis + 1_000);
        }
        // kept open while the public port drains, so probes and scrapes still see the gateway then
        for (HttpServer server : opsServers) {
            awaitQuietly(server.shutdown(OPS_GRACE_MILLIS, TimeUnit.MILLISECONDS), OPS_GRACE_MILLIS + 1_000);
        }
        stuckPayments.close();
        publisher.close();
        producerMetrics.close();
        topicEnsurer.close();
        admin.close();
        awaitQuietly(dbWorkers.close(), 5_000);
        awaitQuietly(opsWorkers.close(), 5_000);
        dataSource.close();
        readinessDataSource.close();
        awaitQuietly(vertx.close(), 10_000);
        registry.close();
        LOG.info("ingest-gateway stopped");
    }

    private static void awaitQuietly(Future<?> future, long timeoutMillis) {
        try {
            future.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("shutdown step did not finish within {} ms", timeoutMillis);
        } catch (RuntimeException e) {
            LOG.warn("shutdown step failed: {}", e.toString());
        }
    }
}
