package io.ipnpipeline.localstack.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.ipnpipeline.gateway.config.GatewayConfig;
import io.ipnpipeline.localstack.init.InitConfig;
import io.ipnpipeline.processor.config.ProcessorConfig;
import io.ipnpipeline.registry.config.RegistryConfig;
import io.ipnpipeline.sink.config.SinkConfig;
import io.ipnpipeline.support.config.Env;
import io.ipnpipeline.support.db.DatabaseConfig;
import io.ipnpipeline.support.kafka.KafkaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run on these machines (no Docker engine), so this reads it and holds it to the
 * services' own configs: every variable given to a service is one its {@code fromEnv} reads (a typo would be
 * silently ignored in a container), and every variable it needs in a container is given.
 */
class ComposeFileTest {

    /** How each ROLE of the image reads its environment: the same fromEnv its main uses. */
    private static final Map<String, Function<Env, Object>> ROLES = Map.of(
            "init", InitConfig::fromEnv,
            "registry", RegistryConfig::fromEnv,
            "processor", ProcessorConfig::fromEnv,
            "sink", SinkConfig::fromEnv,
            "gateway", GatewayConfig::fromEnv);

    /** Their defaults point at 127.0.0.1, which inside a container is the container itself. */
    private static final Set<String> NEEDED_IN_A_CONTAINER = Set.of(KafkaSettings.BOOTSTRAP_SERVERS,
            DatabaseConfig.JDBC_URL, DatabaseConfig.USER, DatabaseConfig.PASSWORD, "NOWPAYMENTS_IPN_SECRET");

    /** Read by the image's entry point (Dockerfile), not by a service's config. */
    private static final String JAVA_OPTS = "JAVA_OPTS";

    private final ComposeFile compose = ComposeFile.load(ComposeFile.locate());

    @Test
    void everyServiceBuiltHereRunsAKnownRoleAndEveryRoleIsDeployed() {
        List<String> roles = builtServices().stream().map(name -> compose.role(name).orElseThrow()).toList();
        assertThat(roles).containsExactlyInAnyOrderElementsOf(ROLES.keySet());
    }

    @Test
    void everyVariableGivenToAServiceIsOneItsConfigReads() {
        for (String service : builtServices()) {
            Map<String, String> given = new HashMap<>(compose.environment(service));
            given.remove(JAVA_OPTS);
            RecordingEnv env = new RecordingEnv(given);
            ROLES.get(compose.role(service).orElseThrow()).apply(env.env());
            assertThat(given.keySet()).as("variables given to %s that its config never reads", service)
                    .isSubsetOf(env.read());
        }
    }

    @Test
    void everyVariableAServiceNeedsIsGivenAndItsConfigAcceptsTheValues() {
        for (String service : builtServices()) {
            Map<String, String> given = compose.environment(service);
            Function<Env, Object> reader = ROLES.get(compose.role(service).orElseThrow());
            assertThatCode(() -> reader.apply(Env.of(given))).as("%s's config with the compose values", service)
                    .doesNotThrowAnyException();

            RecordingEnv nothingGiven = new RecordingEnv(Map.of("NOWPAYMENTS_IPN_SECRET", "x"));
            reader.apply(nothingGiven.env());
            Set<String> needed = new TreeSet<>(nothingGiven.read());
            needed.retainAll(NEEDED_IN_A_CONTAINER);
            assertThat(given.keySet()).as("variables %s reads whose default is wrong in a container", service)
                    .containsAll(needed);
        }
    }

    @Test
    void servicesPointAtTheComposeKafkaAndPostgres() {
        Map<String, String> postgres = compose.environment("postgres");
        String advertised = compose.environment("kafka").get("KAFKA_ADVERTISED_LISTENERS");
        for (String service : builtServices()) {
            Map<String, String> env = compose.environment(service);
            assertThat(advertised).as("kafka advertises what %s bootstraps from", service)
                    .contains("PLAINTEXT://" + env.get(KafkaSettings.BOOTSTRAP_SERVERS));
            if (env.containsKey(DatabaseConfig.JDBC_URL)) {
                assertThat(env.get(DatabaseConfig.JDBC_URL))
                        .isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.get("POSTGRES_DB"));
                assertThat(env.get(DatabaseConfig.USER)).isEqualTo(postgres.get("POSTGRES_USER"));
                assertThat(compose.rawEnvironment(service).get(DatabaseConfig.PASSWORD))
                        .isEqualTo(compose.rawEnvironment("postgres").get("POSTGRES_PASSWORD"));
            }
        }
    }

    /**
     * Found by review: Kafka's unauthenticated host listener and PostgreSQL (with a default password in this
     * repository) were published on every interface, and neither came back after a host reboot.
     */
    @Test
    void kafkaAndPostgresAreReachableFromThisHostOnlyAndRestartWithIt() {
        for (String infra : List.of("kafka", "postgres")) {
            compose.service(infra).path("ports").forEach(port -> assertThat(port.asText())
                    .as("%s port", infra).startsWith("127.0.0.1:"));
            assertThat(compose.service(infra).path("restart").asText()).as("%s restart", infra)
                    .isEqualTo("unless-stopped");
        }
        assertThat(compose.rawEnvironment("postgres").get("POSTGRES_PASSWORD")).startsWith("${PIPELINE_DB_PASSWORD:?");
        assertThat(compose.healthcheck("postgres").orElseThrow()).contains("-h 127.0.0.1");
    }

    /**
     * Only the gateway's IPN port faces the internet. Its metrics (request counts, signature failures, stuck
     * payments) are on its ops port, which, like every other port, is not published beyond this host.
     */
    @Test
    void onlyTheGatewaysPublicPortIsPublishedBeyondThisHost() {
        Map<String, String> gateway = compose.environment("gateway");
        String publicPort = gateway.get("GATEWAY_PORT");
        assertThat(gateway.get("GATEWAY_OPS_PORT")).as("the gateway's ops port").isNotBlank()
                .isNotEqualTo(publicPort);
        for (String service : compose.serviceNames()) {
            compose.service(service).path("ports").forEach(port -> {
                String mapping = port.asText();
                if (!mapping.startsWith("127.0.0.1:")) {
                    assertThat(service + " " + mapping).as("published on every interface")
                            .isEqualTo("gateway " + publicPort + ":" + publicPort);
                }
            });
        }
    }

    /**
     * Found by review: without a cap each JVM took the image's default, 75 % of the memory it sees, which on a host
     * without container limits lets every service grow to three quarters of its RAM; an out-of-memory JVM must exit
     * (and be restarted) rather than limp on.
     */
    @Test
    void everyServiceBuiltHereRunsUnderAHeapCapAndExitsOnOutOfMemory() throws IOException {
        String dockerfile = Files.readString(ComposeFile.locate().resolveSibling("Dockerfile"));
        assertThat(dockerfile).as("the entry point passes JAVA_OPTS to java").contains("$JAVA_OPTS");
        for (String service : builtServices()) {
            String options = compose.environment(service).getOrDefault(JAVA_OPTS, "");
            assertThat(options).as("%s JAVA_OPTS", service).containsPattern("-Xmx\\d+m")
                    .contains("-XX:+ExitOnOutOfMemoryError");
        }
        assertThat(compose.environment("gateway").get(JAVA_OPTS)).as("the gateway's cap (issue 8)").contains("-Xmx256m");
    }

    /** Found by review: the services log one line per IPN, and Docker's default json-file log never rotates. */
    @Test
    void everyContainersLogIsRotated() {
        for (String service : compose.serviceNames()) {
            assertThat(compose.service(service).path("logging").path("options").path("max-size").asText())
                    .as("%s log max-size", service).isNotBlank();
        }
    }

    /**
     * Found by review: README's secret rotation sets NOWPAYMENTS_IPN_SECRET_PREVIOUS, which compose did not pass
     * to the gateway, so IPNs signed with the old secret got 401 during a rotation.
     */
    @Test
    void theGatewayGetsThePreviousSecretForARotation() {
        assertThat(compose.rawEnvironment("gateway").get("NOWPAYMENTS_IPN_SECRET_PREVIOUS"))
                .startsWith("${NOWPAYMENTS_IPN_SECRET_PREVIOUS:-");
    }

    /**
     * Prometheus (profile {@code monitoring}) loads the repository's scrape config and rules, and that config
     * scrapes every service on the ops port compose gives it: a port changed on one side only would leave a job
     * down and its alerts blind.
     */
    @Test
    void prometheusScrapesEveryServiceOnTheOpsPortComposeGivesIt() throws IOException {
        JsonNode prometheus = compose.service("prometheus");
        List<String> mounts = new ArrayList<>();
        prometheus.path("volumes").forEach(volume -> mounts.add(volume.asText()));
        assertThat(mounts).contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        assertThat(prometheus.path("depends_on").isMissingNode()).as("runs while a service is down").isTrue();

        Path config = ComposeFile.locate().resolveSibling("deploy/prometheus/prometheus.yml");
        JsonNode scrape = new YAMLMapper().readTree(Files.readString(config)).path("scrape_configs");
        Map<String, String> targets = new HashMap<>();
        scrape.forEach(job -> targets.put(job.path("job_name").asText(), target(job)));
        Map<String, String> opsPorts = Map.of("gateway", "GATEWAY_OPS_PORT", "processor", "PROCESSOR_OPS_PORT",
                "sink", "SINK_OPS_PORT", "registry", "REGISTRY_OPS_PORT");
        opsPorts.forEach((service, variable) -> assertThat(targets.get("ipn-" + service)).as("job ipn-%s", service)
                .isEqualTo(service + ":" + compose.environment(service).get(variable)));
    }

    /**
     * Found by a newcomer: with {@code --scale sink=2} Docker's DNS answers "sink" with both replicas, and a static
     * target scraped a random one each time: one series flipping between replicas, counter resets, and the
     * increase()-based pages firing falsely. Every service README scales with {@code --scale} is found through DNS,
     * so each replica is a target of its own.
     */
    @Test
    void servicesThatScaleWithComposeAreScrapedThroughDnsDiscovery() throws IOException {
        Path config = ComposeFile.locate().resolveSibling("deploy/prometheus/prometheus.yml");
        JsonNode scrape = new YAMLMapper().readTree(Files.readString(config)).path("scrape_configs");
        String readme = Files.readString(ComposeFile.locate().resolveSibling("README.md"));
        assertThat(readme).as("README names the services that scale with --scale")
                .contains("Sinks and registries scale with `--scale`");
        for (String service : List.of("sink", "registry")) {
            JsonNode job = scrapeJob(scrape, "ipn-" + service);
            assertThat(job.path("static_configs").isMissingNode()).as("%s has a static target", service).isTrue();
            JsonNode dns = job.path("dns_sd_configs").path(0);
            assertThat(dns.path("type").asText()).as("%s DNS record type", service).isEqualTo("A");
            assertThat(dns.path("names").path(0).asText()).isEqualTo(service);
            assertThat(dns.path("port").isInt()).as("%s DNS port", service).isTrue();
        }
    }

    /**
     * Found by a newcomer: README set the required secrets in the environment of `docker compose up` only, and every
     * later compose command (stop, logs, down, --profile monitoring up) failed with "required variable ... is missing
     * a value". README keeps them in .env, which compose reads for every command.
     */
    @Test
    void readmeKeepsEveryRequiredVariableInTheEnvFile() throws IOException {
        String composeText = Files.readString(ComposeFile.locate());
        String readme = Files.readString(ComposeFile.locate().resolveSibling("README.md"));
        Matcher required = Pattern.compile("\\$\\{([A-Z_]+):\\?[^}]").matcher(composeText);
        Set<String> names = new TreeSet<>();
        while (required.find()) {
            names.add(required.group(1));
        }
        assertThat(names).isNotEmpty();
        assertThat(readme).contains("cat > .env");
        for (String name : names) {
            assertThat(readme).as("README's .env sets %s", name).containsPattern("(?m)^" + name + "=");
            assertThat(readme).as("README sets %s for one compose command only", name)
                    .doesNotContain(name + "=... docker compose");
        }
    }

    private static JsonNode scrapeJob(JsonNode scrape, String name) {
        for (JsonNode job : scrape) {
            if (job.path("job_name").asText().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no scrape job " + name);
    }

    /** host:port of a job, from a static target or a DNS name and its port. */
    private static String target(JsonNode job) {
        JsonNode dns = job.path("dns_sd_configs").path(0);
        if (!dns.isMissingNode()) {
            return dns.path("names").path(0).asText() + ":" + dns.path("port").asText();
        }
        return job.path("static_configs").path(0).path("targets").path(0).asText();
    }

    @Test
    void startOrderIsEnforcedByHealthchecksAndConditions() {
        assertThat(compose.service("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(compose.service("postgres").path("image").asText()).startsWith("postgres:");
        assertThat(compose.dependsOn("init")).containsEntry("kafka", "service_healthy")
                .containsEntry("postgres", "service_healthy");
        for (String service : compose.serviceNames()) {
            compose.dependsOn(service).forEach((dependency, condition) -> {
                assertThat(condition).as("%s waits for %s", service, dependency)
                        .isIn("service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(compose.healthcheck(dependency)).as("healthcheck of %s", dependency).isPresent();
                }
            });
        }
        for (String service : builtServices()) {
            if (!service.equals("init")) {
                assertThat(compose.dependsOn(service)).as(service)
                        .containsEntry("init", "service_completed_successfully");
                assertThat(compose.healthcheck(service)).as("healthcheck of %s", service).isPresent();
            }
        }
    }

    /**
     * Found by a newcomer: the gateway waited for the processor, sink and registry to be healthy. The sink is unready
     * in exactly the runbook's repair states (and the processor while it rebalances), so `docker compose up` failed
     * with "dependency failed to start" and NOWPayments got connection refused while the operator repaired the sink.
     */
    @Test
    void theGatewayStartsWithoutWaitingForAnyKafkaConsumer() {
        Set<String> consumers = Set.of("processor", "sink", "registry");
        assertThat(compose.dependsOn("gateway").keySet()).as("the gateway's dependencies")
                .doesNotContainAnyElementsOf(consumers)
                .containsExactlyInAnyOrder("init", "kafka", "postgres");
        assertThat(compose.dependsOn("gateway")).containsEntry("kafka", "service_healthy")
                .containsEntry("postgres", "service_healthy");
    }

    @Test
    void healthchecksProbeThePortTheServiceIsGiven() {
        Map<String, String> portVariables = Map.of("registry", "REGISTRY_OPS_PORT", "processor", "PROCESSOR_OPS_PORT",
                "sink", "SINK_OPS_PORT", "gateway", "GATEWAY_PORT");
        portVariables.forEach((service, variable) -> assertThat(compose.healthcheck(service).orElseThrow())
                .contains("http://localhost:" + compose.environment(service).get(variable) + "/health/ready"));
    }

    @Test
    void interpolationFollowsComposeRules() {
        assertThat(ComposeFile.interpolate("${A:-fallback}")).isEqualTo("fallback");
        assertThat(ComposeFile.interpolate("x${B-y}z")).isEqualTo("xyz");
        assertThat(ComposeFile.interpolate("${SECRET:?set it}")).isEqualTo("set-by-user-secret");
        assertThat(ComposeFile.interpolate("plain")).isEqualTo("plain");
    }

    private List<String> builtServices() {
        return compose.serviceNames().stream().filter(name -> compose.role(name).isPresent()).toList();
    }
}
