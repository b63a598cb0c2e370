package io.ipnpipeline.localstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipnpipeline.localstack.data.DataDir;
import io.ipnpipeline.support.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by a newcomer: with NOWPAYMENTS_IPN_SECRET set, the stack ran with it but left an older generated secret in
 * the data dir, and send-ipn from another shell signed with that one: 401.
 */
class LocalStackSecretTest {

    @TempDir
    Path root;

    @Test
    void aSecretFromTheEnvironmentReplacesAnOlderGeneratedOneInTheDataDir() throws Exception {
        List<String> notices = new ArrayList<>();
        try (DataDir dataDir = DataDir.open(root, false)) {
            String generated = LocalStack.ipnSecret(Env.of(Map.of()), dataDir, notices::add).reveal();
            assertThat(notices).hasSize(1);

            String configured = "current-secret, previous-secret";
            String used = LocalStack.ipnSecret(Env.of(Map.of(StackEnvironment.IPN_SECRET, configured)), dataDir,
                    notices::add).reveal();

            assertThat(used).isEqualTo(configured);
            assertThat(dataDir.readPrivate(LocalStack.IPN_SECRET_FILE)).contains(configured).isNotEqualTo(generated);
            Path file = dataDir.file(LocalStack.IPN_SECRET_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(notices).as("nothing generated, nothing printed").hasSize(1);
        }
    }
}
