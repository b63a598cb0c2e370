package io.ipnpipeline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.util.List;

/**
 * A module's production logback.xml, loaded into a private logger context: tests run with logback-test.xml, so
 * a typo in a production appender class or property would otherwise only show when the service starts.
 */
public final class LogbackConfigs {

    private LogbackConfigs() {
    }

    /** Loads the resource and fails on any warning or error logback reports while configuring from it. */
    public static void assertLoadsCleanly(String resource) {
        URL config = LogbackConfigs.class.getClassLoader().getResource(resource);
        assertThat(config).as("resource %s on the class path", resource).isNotNull();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(config);
            List<Status> problems = context.getStatusManager().getCopyOfStatusList().stream()
                    .filter(status -> status.getEffectiveLevel() >= Status.WARN).toList();
            assertThat(problems).as("logback's complaints about %s", resource).isEmpty();
        } catch (JoranException e) {
            throw new AssertionError("cannot configure logback from " + resource, e);
        } finally {
            context.stop();
        }
    }
}
