package io.ipnpipeline.localstack.compose;

import io.ipnpipeline.support.config.Env;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An {@link Env} over a map that remembers every variable name asked for, so a test can learn which
 * variables a service's {@code fromEnv} reads without the service keeping a list of its own.
 */
final class RecordingEnv {

    private final Set<String> read = new TreeSet<>();
    private final Env env;

    RecordingEnv(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        this.env = envOver(name -> {
            read.add(name);
            return copy.get(name);
        });
    }

    Env env() {
        return env;
    }

    Set<String> read() {
        return read;
    }

    /** Env offers only a map; its private constructor takes the lookup this test needs to observe. */
    private static Env envOver(Function<String, String> lookup) {
        try {
            Constructor<Env> constructor = Env.class.getDeclaredConstructor(Function.class);
            constructor.setAccessible(true);
            return constructor.newInstance(lookup);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException
                | InvocationTargetException e) {
            throw new IllegalStateException("Env no longer has a private Env(Function) constructor; give this test"
                    + " another way to observe which variables are read", e);
        }
    }
}
