package io.ipnpipeline.processor;

import io.ipnpipeline.testsupport.LogbackConfigs;
import org.junit.jupiter.api.Test;

class LoggingConfigTest {

    @Test
    void productionLogbackConfigurationLoadsWithoutComplaints() {
        LogbackConfigs.assertLoadsCleanly("logback.xml");
    }
}
