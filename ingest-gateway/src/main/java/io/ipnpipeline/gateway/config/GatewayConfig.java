package io.ipnpipeline.gateway.config;

import io.ipnpipeline.contracts.topic.TopicNames;
import io.ipnpipeline.contracts.topic.Topics;
import io.ipnpipeline.support.config.ConfigException;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.config.Secret;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the gateway reads from its environment, validated once at start. {@link #toString()} is safe to
 * log: secrets print as {@code ****}.
 *
 * @param host              interface to bind ({@code GATEWAY_HOST}, default all interfaces)
 * @param port              public HTTP port: IPNs, status API, landing page, health ({@code GATEWAY_PORT}, 8080;
 *                          0 picks a free port, for tests)
 * @param opsPort           operations port: health and Prometheus {@code /metrics}, which the public port does not
 *                          serve ({@code GATEWAY_OPS_PORT}, 8093; must differ from the public port; 0 picks a free
 *                          port, for tests); on the same interface ({@code GATEWAY_HOST})
 * @param bootstrapServers  {@code KAFKA_BOOTSTRAP_SERVERS}
 * @param replicationFactor for creating {@code ipn.raw} if it is missing ({@code KAFKA_REPLICATION_FACTOR})
 * @param topics            topic names; the gateway writes only {@link #ipnRawTopic()} ({@code IPN_RAW_TOPIC})
 * @param ipnSecrets        every secret an IPN signature may be made with, current ones first
 * @param database          where the status API reads ({@code PIPELINE_JDBC_URL}, ...)
 * @param maxBodyBytes      larger IPN bodies get 413 ({@code IPN_MAX_BODY_BYTES})
 * @param publishTimeout    no broker ack within this: 503 ({@code IPN_PUBLISH_TIMEOUT_MS})
 * @param maxInFlight       IPNs waiting for an ack at once; beyond it 503 at once ({@code GATEWAY_MAX_IN_FLIGHT})
 * @param dbPoolSize        connections and worker threads of the status API ({@code GATEWAY_DB_POOL_SIZE})
 * @param corsOrigins       origins allowed to call the status API from a browser ({@code GATEWAY_CORS_ORIGINS})
 * @param allowedSources    IPN source addresses/CIDRs; others get 403 ({@code IPN_ALLOWED_SOURCES}, default off)
 * @param requestTimeout    an IPN request not answered within this (e.g. a body trickling in) gets 408 and its
 *                          connection is closed ({@code IPN_REQUEST_TIMEOUT_MS}); longer than the publish timeout
 * @param headerTimeout     a connection that starts no request within this of opening or of its previous request
 *                          (e.g. headers trickling in) is closed ({@code GATEWAY_HEADER_TIMEOUT_MS})
 * @param supportContact    who the landing page names when a payment is delayed ({@code GATEWAY_SUPPORT_CONTACT}:
 *                          an https URL, a Telegram @handle, an e-mail address or plain text; empty for a generic
 *                          "contact support")
 * @param maxReceivingBytes IPN body bytes being received at once, in total; beyond it 503 at once
 *                          ({@code IPN_MAX_RECEIVING_BYTES}); at least {@code IPN_MAX_BODY_BYTES}
 * @param dbStatementTimeout a gateway query (status API, stuck gauge) running longer is cancelled by PostgreSQL
 *                          ({@code GATEWAY_DB_STATEMENT_TIMEOUT_MS}): the poll gets 503 and the connection is free
 * @param dbLockTimeout     a gateway query waiting this long for a table lock (a dump, a migration's ALTER TABLE)
 *                          gives up ({@code GATEWAY_DB_LOCK_TIMEOUT_MS}); at most the statement timeout
 */
public record GatewayConfig(
        String host,
        int port,
        int opsPort,
        String bootstrapServers,
        short replicationFactor,
        TopicNames topics,
        List<NamedSecret> ipnSecrets,
        DatabaseConfig database,
        int maxBodyBytes,
        Duration publishTimeout,
        int maxInFlight,
        int dbPoolSize,
        List<String> corsOrigins,
        SourceAllowList allowedSources,
        Duration requestTimeout,
        Duration headerTimeout,
        String supportContact,
        int maxReceivingBytes,
        Duration dbStatementTimeout,
        Duration dbLockTimeout) {

    public static final String HOST = "GATEWAY_HOST";
    public static final String PORT = "GATEWAY_PORT";
    public static final String OPS_PORT = "GATEWAY_OPS_PORT";
    public static final String IPN_SECRET = "NOWPAYMENTS_IPN_SECRET";
    public static final String IPN_SECRET_PREVIOUS = "NOWPAYMENTS_IPN_SECRET_PREVIOUS";
    public static final String MAX_BODY_BYTES = "IPN_MAX_BODY_BYTES";
    public static final String PUBLISH_TIMEOUT_MS = "IPN_PUBLISH_TIMEOUT_MS";
    public static final String MAX_IN_FLIGHT = "GATEWAY_MAX_IN_FLIGHT";
    public static final String DB_POOL_SIZE = "GATEWAY_DB_POOL_SIZE";
    public static final String CORS_ORIGINS = "GATEWAY_CORS_ORIGINS";
    public static final String ALLOWED_SOURCES = SourceAllowList.VARIABLE;
    public static final String REQUEST_TIMEOUT_MS = "IPN_REQUEST_TIMEOUT_MS";
    public static final String HEADER_TIMEOUT_MS = "GATEWAY_HEADER_TIMEOUT_MS";
    public static final String SUPPORT_CONTACT = "GATEWAY_SUPPORT_CONTACT";
    public static final String MAX_RECEIVING_BYTES = "IPN_MAX_RECEIVING_BYTES";
    public static final String DB_STATEMENT_TIMEOUT_MS = "GATEWAY_DB_STATEMENT_TIMEOUT_MS";
    public static final String DB_LOCK_TIMEOUT_MS = "GATEWAY_DB_LOCK_TIMEOUT_MS";
    public static final int MAX_SUPPORT_CONTACT_LENGTH = 200;

    public static final int DEFAULT_PORT = 8080;
    /** Next to the other services' ops ports (processor 8091, registry 8094). */
    public static final int DEFAULT_OPS_PORT = 8093;
    public static final int DEFAULT_MAX_BODY_BYTES = 65_536;
    /** Under NOWPayments' 3 s limit, so the 503 reaches them before they give up on their own. */
    public static final int DEFAULT_PUBLISH_TIMEOUT_MS = 2_000;
    /**
     * 2,000 IPNs/s at ~10 ms per ack needs ~20 in flight; 2,048 absorbs bursts of a thousand at once. It bounds
     * only bodies already read and authentic (waiting for an ack): 2,048 x IPN_MAX_BODY_BYTES at the worst,
     * ~2 MiB for real IPNs. Bodies still arriving are bounded by {@link #DEFAULT_MAX_RECEIVING_BYTES}.
     */
    public static final int DEFAULT_MAX_IN_FLIGHT = 2_048;
    public static final int DEFAULT_DB_POOL_SIZE = 4;
    /** A real IPN (under 2 KB) arrives in milliseconds; ten seconds bounds a slow-body attack per connection. */
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
    /** The idle timeout's length: an idle keep-alive connection would be closed about then anyway. */
    public static final int DEFAULT_HEADER_TIMEOUT_MS = 60_000;
    /**
     * Bodies arriving at once, in total: a real IPN (~600 bytes) takes milliseconds, so only clients announcing
     * large bodies and sending them slowly can fill this, and they get 503 instead of the heap (256 max-size
     * bodies, or 4,096 connections holding a first 4 KiB each).
     */
    public static final int DEFAULT_MAX_RECEIVING_BYTES = 16 * 1_024 * 1_024;
    /**
     * The status query is an index lookup of milliseconds; the landing page polls again anyway. Without a bound, a
     * query waiting on a lock holds its pooled connection until the lock goes (a dump, a migration), so a few polls
     * take the whole pool and every further poll waits too.
     */
    public static final int DEFAULT_DB_STATEMENT_TIMEOUT_MS = 2_000;
    /** Shorter than the statement timeout: a lock held for a dump or a migration is gone in seconds or lasts long. */
    public static final int DEFAULT_DB_LOCK_TIMEOUT_MS = 500;
    /** Well below {@code Pools.SOCKET_TIMEOUT} (60 s), so PostgreSQL cancels the query before the socket gives up. */
    static final int MAX_DB_STATEMENT_TIMEOUT_MS = 30_000;

    public GatewayConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(publishTimeout, "publishTimeout");
        Objects.requireNonNull(allowedSources, "allowedSources");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(dbStatementTimeout, "dbStatementTimeout");
        Objects.requireNonNull(dbLockTimeout, "dbLockTimeout");
        ipnSecrets = List.copyOf(ipnSecrets);
        corsOrigins = List.copyOf(corsOrigins);
        if (opsPort == port && port != 0) {
            throw new ConfigException(OPS_PORT + " must differ from " + PORT + " (both are " + port + ")");
        }
        if (ipnSecrets.isEmpty()) {
            throw new ConfigException(IPN_SECRET + " is required but not set");
        }
        if (requestTimeout.compareTo(publishTimeout) <= 0) {
            // otherwise a request waiting for Kafka's ack would be cut off before its 200 or 503
            throw new ConfigException(REQUEST_TIMEOUT_MS + " must be longer than " + PUBLISH_TIMEOUT_MS);
        }
        supportContact = supportContact == null ? "" : supportContact.strip();
        if (supportContact.length() > MAX_SUPPORT_CONTACT_LENGTH
                || supportContact.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException(SUPPORT_CONTACT + " must be one line of at most " + MAX_SUPPORT_CONTACT_LENGTH
                    + " characters");
        }
        if (maxReceivingBytes < maxBodyBytes) {
            // a body of the largest size allowed could never be received
            throw new ConfigException(MAX_RECEIVING_BYTES + " must be at least " + MAX_BODY_BYTES);
        }
        if (dbLockTimeout.compareTo(dbStatementTimeout) > 0) {
            // the statement timeout would always fire first: the configured lock timeout would be a lie
            throw new ConfigException(DB_LOCK_TIMEOUT_MS + " must not exceed " + DB_STATEMENT_TIMEOUT_MS);
        }
    }

    public static GatewayConfig fromEnv(Env env) {
        return new GatewayConfig(
                env.string(HOST, "0.0.0.0"),
                env.integer(PORT, DEFAULT_PORT, 0, 65_535),
                env.integer(OPS_PORT, DEFAULT_OPS_PORT, 0, 65_535),
                KafkaSettings.bootstrapServers(env),
                KafkaSettings.replicationFactor(env),
                TopicNames.fromEnv(env.lookup()),
                secrets(env),
                DatabaseConfig.fromEnv(env),
                env.integer(MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1_024, 16 * 1_024 * 1_024),
                Duration.ofMillis(env.integer(PUBLISH_TIMEOUT_MS, DEFAULT_PUBLISH_TIMEOUT_MS, 100, 60_000)),
                env.integer(MAX_IN_FLIGHT, DEFAULT_MAX_IN_FLIGHT, 1, 1_000_000),
                env.integer(DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE, 1, 256),
                env.list(CORS_ORIGINS),
                SourceAllowList.parse(env.list(ALLOWED_SOURCES)),
                Duration.ofMillis(env.integer(REQUEST_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS, 200, 600_000)),
                Duration.ofMillis(env.integer(HEADER_TIMEOUT_MS, DEFAULT_HEADER_TIMEOUT_MS, 1_000, 3_600_000)),
                env.string(SUPPORT_CONTACT, ""),
                env.integer(MAX_RECEIVING_BYTES, DEFAULT_MAX_RECEIVING_BYTES, 1_024, 1_024 * 1_024 * 1_024),
                Duration.ofMillis(env.integer(DB_STATEMENT_TIMEOUT_MS, DEFAULT_DB_STATEMENT_TIMEOUT_MS, 100,
                        MAX_DB_STATEMENT_TIMEOUT_MS)),
                Duration.ofMillis(env.integer(DB_LOCK_TIMEOUT_MS, DEFAULT_DB_LOCK_TIMEOUT_MS, 1,
                        MAX_DB_STATEMENT_TIMEOUT_MS)));
    }

    /**
     * Run once on every new connection of the gateway's pools: session settings, so they hold for every query on
     * it whatever the URL says (a URL's own {@code options} would override a startup parameter set here). Only
     * validated integers go into the text.
     */
    public String dbSessionSql() {
        return "SELECT set_config('statement_timeout', '" + dbStatementTimeout.toMillis() + "', false),"
                + " set_config('lock_timeout', '" + dbLockTimeout.toMillis() + "', false)";
    }

    public String ipnRawTopic() {
        return topics.name(Topics.IPN_RAW);
    }

    /**
     * {@code NOWPAYMENTS_IPN_SECRET} (required) and {@code NOWPAYMENTS_IPN_SECRET_PREVIOUS} (optional, for a
     * rotation) may each hold several comma-separated secrets. Each is trimmed, as NOWPayments' own code does.
     * Names say which matched without saying what it is: {@code current}, {@code current-2}, {@code previous}.
     */
    private static List<NamedSecret> secrets(Env env) {
        List<NamedSecret> all = new ArrayList<>(named("current", env.list(IPN_SECRET)));
        if (all.isEmpty()) {
            throw new ConfigException(IPN_SECRET + " is required but not set");
        }
        all.addAll(named("previous", env.list(IPN_SECRET_PREVIOUS)));
        return all;
    }

    private static List<NamedSecret> named(String base, List<String> values) {
        List<NamedSecret> named = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            named.add(new NamedSecret(i == 0 ? base : base + "-" + (i + 1), new Secret(values.get(i))));
        }
        return named;
    }

    /** A secret and the name that may appear in headers and logs instead of it. */
    public record NamedSecret(String name, Secret secret) {
        public NamedSecret {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(secret, "secret");
        }
    }
}
