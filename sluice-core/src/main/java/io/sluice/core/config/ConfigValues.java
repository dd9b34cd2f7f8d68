package io.sluice.core.config;

import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Validated values of configuration keys, defaults filled in: what a loader hands a component to build its typed
 * settings from. A key placed in a section ({@link ConfigKey#in}) and the key it was placed from find the same
 * value.
 */
public final class ConfigValues {
    private final String pipeline;
    private final Map<ConfigKey<?>, Object> values = new HashMap<>();

    /** Values of the pipeline {@code pipeline}; add them with {@link #put}. */
    public ConfigValues(String pipeline) {
        this.pipeline = pipeline;
    }

    /** The name of the pipeline the values configure. */
    public String pipeline() {
        return pipeline;
    }

    /** Sets the value of {@code key} (null: the key has no value, as a derived default may have none). */
    public <T> ConfigValues put(ConfigKey<T> key, T value) {
        values.put(key.origin(), value);
        return this;
    }

    /**
     * The value of {@code key}, null when it has none (an optional key whose default is "none").
     *
     * @throws NoSuchElementException when the key was never given a value here: not one of the component's keys
     */
    @SuppressWarnings("unchecked")
    public <T> T get(ConfigKey<T> key) {
        ConfigKey<T> k = key.origin();
        if (!values.containsKey(k)) {
            throw new NoSuchElementException("no value for " + key.path());
        }
        return (T) values.get(k);
    }
}
