package io.ipnpipeline.contracts.topic;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The actual name of every topic in one deployment: the defaults of {@link Topics}, each overridable by its
 * environment variable. Tests use {@link #withPrefix} so each test has its own topics.
 */
public final class TopicNames {

    private final Map<TopicSpec<?, ?>, String> names;

    private TopicNames(Map<TopicSpec<?, ?>, String> names) {
        this.names = Map.copyOf(names);
    }

    public static TopicNames defaults() {
        return fromEnv(variable -> null);
    }

    /** Reads each topic's variable through {@code env}; blank or absent means the default name. */
    public static TopicNames fromEnv(Function<String, String> env) {
        return new TopicNames(Topics.all().stream().collect(Collectors.toMap(Function.identity(), spec -> {
            String value = env.apply(spec.envVariable());
            return value == null || value.isBlank() ? spec.defaultName() : value.trim();
        })));
    }

    /** Every default name prefixed, e.g. {@code t42.ipn.raw}. */
    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(Topics.all().stream()
                .collect(Collectors.toMap(Function.identity(), spec -> prefix + spec.defaultName())));
    }

    public String name(TopicSpec<?, ?> spec) {
        return Objects.requireNonNull(names.get(spec), () -> "unknown topic spec " + spec.defaultName());
    }

    /** Variable name to topic name, for logging a service's configuration. */
    public Map<String, String> asEnv() {
        return names.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().envVariable(), Map.Entry::getValue));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicNames that && names.equals(that.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return "TopicNames" + asEnv();
    }
}
