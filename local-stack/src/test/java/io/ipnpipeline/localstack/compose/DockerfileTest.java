package io.ipnpipeline.localstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The image cannot be built here (no Docker engine): what its entry point names must exist in the jar it runs. */
class DockerfileTest {

    private static final Pattern LOGBACK_CONFIG = Pattern.compile("-Dlogback\\.configurationFile=(\\S+)");

    @Test
    void theEntryPointsLoggingConfigurationIsInTheLocalStackJar() throws IOException {
        Path dockerfile = ComposeFile.locate().resolveSibling("Dockerfile");
        String entryPoint = Files.readAllLines(dockerfile).stream().filter(line -> line.startsWith("ENTRYPOINT"))
                .findFirst().orElseThrow();
        Matcher config = LOGBACK_CONFIG.matcher(entryPoint);

        assertThat(config.find()).as("ENTRYPOINT sets the services' logging configuration: %s", entryPoint).isTrue();
        assertThat(getClass().getClassLoader().getResource(config.group(1))).as(config.group(1)).isNotNull();
    }

    /**
     * README has the operator keep NOWPAYMENTS_IPN_SECRET and PIPELINE_DB_PASSWORD in .env next to
     * docker-compose.yml, which is the build context every service builds from (context: .); the build stage copies
     * the whole context, so without these lines the secrets would be sent to the engine on every build and kept in
     * the build stage's layer and cache.
     */
    @Test
    void theSecretsFileStaysOutOfTheBuildContext() throws IOException {
        Path dockerignore = ComposeFile.locate().resolveSibling(".dockerignore");
        List<String> patterns = Files.readAllLines(dockerignore).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(patterns).as(dockerignore.toString()).contains(".env", ".env.*", "**/.env", "**/.env.*")
                .noneMatch(line -> line.startsWith("!") && line.contains(".env"));
    }
}
