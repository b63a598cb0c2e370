package io.ipnpipeline.localstack;

import io.ipnpipeline.testsupport.LogbackConfigs;
import org.junit.jupiter.api.Test;

class LoggingConfigTest {

    @Test
    void theLocalStacksConsoleConfigurationLoadsWithoutComplaints() {
        LogbackConfigs.assertLoadsCleanly("logback.xml");
    }

    @Test
    void theContainersServiceConfigurationLoadsWithoutComplaints() {
        LogbackConfigs.assertLoadsCleanly("logback-service.xml");
    }
}
