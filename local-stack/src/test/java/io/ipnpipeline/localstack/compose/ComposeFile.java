package io.ipnpipeline.localstack.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.yaml.snakeyaml.Yaml;

/** The repository's docker-compose.yml, read as Compose reads it (environment maps, ${VAR} interpolation). */
final class ComposeFile {

    /** {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME-default}}, {@code ${NAME:?error}}, {@code ${NAME?error}}. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final JsonNode root;

    private ComposeFile(JsonNode root) {
        this.root = root;
    }

    static ComposeFile load(Path file) {
        try {
            // SnakeYAML resolves anchors and aliases (x-logging: &logging ... logging: *logging) as Compose does;
            // Jackson's YAML tree reader leaves them unresolved
            Object document = new Yaml().load(Files.readString(file));
            return new ComposeFile(new YAMLMapper().valueToTree(document));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** docker-compose.yml at the repository root, found from the module directory the tests run in. */
    static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("docker-compose.yml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    List<String> serviceNames() {
        return StreamSupport.stream(((Iterable<String>) () -> root.path("services").fieldNames()).spliterator(), false)
                .toList();
    }

    JsonNode service(String name) {
        JsonNode service = root.path("services").path(name);
        if (service.isMissingNode()) {
            throw new IllegalArgumentException("no service " + name);
        }
        return service;
    }

    /** The ROLE build argument of a service built from this repository; empty for an image pulled as is. */
    Optional<String> role(String name) {
        JsonNode build = service(name).path("build");
        return build.isMissingNode() ? Optional.empty() : Optional.of(build.path("args").path("ROLE").asText());
    }

    /** The environment as written, map or list form, before interpolation. */
    Map<String, String> rawEnvironment(String name) {
        JsonNode environment = service(name).path("environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment.isObject()) {
            environment.properties().forEach(field -> env.put(field.getKey(), field.getValue().asText()));
        } else if (environment.isArray()) {
            environment.forEach(entry -> {
                String[] pair = entry.asText().split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : "");
            });
        }
        return env;
    }

    /**
     * The environment as a container would see it when the user sets only what the file demands
     * ({@code ${NAME:?...}}): defaults are applied, demanded values are stand-ins.
     */
    Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        rawEnvironment(name).forEach((key, value) -> env.put(key, interpolate(value)));
        return env;
    }

    static String interpolate(String value) {
        Matcher matcher = INTERPOLATION.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String operator = matcher.group(2);
            String replacement = operator != null && operator.endsWith("-")
                    ? matcher.group(3)
                    : "set-by-user-" + matcher.group(1).toLowerCase(java.util.Locale.ROOT);
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** depends_on as service name to condition ({@code service_started} for the short list form). */
    Map<String, String> dependsOn(String name) {
        JsonNode dependsOn = service(name).path("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn.isArray()) {
            dependsOn.forEach(dependency -> conditions.put(dependency.asText(), "service_started"));
        } else if (dependsOn.isObject()) {
            dependsOn.properties().forEach(field -> conditions.put(field.getKey(),
                    field.getValue().path("condition").asText("service_started")));
        }
        return conditions;
    }

    /** The healthcheck command joined to one string, or empty. */
    Optional<String> healthcheck(String name) {
        JsonNode test = service(name).path("healthcheck").path("test");
        if (test.isMissingNode()) {
            return Optional.empty();
        }
        if (test.isTextual()) {
            return Optional.of(test.asText());
        }
        List<String> parts = StreamSupport.stream(test.spliterator(), false).map(JsonNode::asText).toList();
        return Optional.of(String.join(" ", parts));
    }
}
