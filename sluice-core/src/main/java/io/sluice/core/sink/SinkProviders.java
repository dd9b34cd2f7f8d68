package io.sluice.core.sink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The sink providers on the class path, found once with {@link ServiceLoader}. */
public final class SinkProviders {
    private static volatile List<SinkProvider<?>> installed;

    private SinkProviders() {}

    /**
     * Every provider listed in a {@code META-INF/services/io.sluice.core.sink.SinkProvider} on the class path, by
     * type name; the same instances on every call.
     *
     * @throws IllegalStateException when two providers claim one type
     */
    public static List<SinkProvider<?>> installed() {
        List<SinkProvider<?>> found = installed;
        if (found == null) {
            found = load();
            installed = found;
        }
        return found;
    }

    /** The provider of {@code type}, if one is installed. */
    public static Optional<SinkProvider<?>> find(String type) {
        return installed().stream().filter(p -> p.type().equals(type)).findFirst();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static synchronized List<SinkProvider<?>> load() {
        List<SinkProvider<?>> out = new ArrayList<>();
        Map<String, SinkProvider<?>> byType = new HashMap<>();
        for (SinkProvider p : ServiceLoader.load(SinkProvider.class, SinkProviders.class.getClassLoader())) {
            SinkProvider<?> before = byType.putIfAbsent(p.type(), p);
            if (before != null) {
                throw new IllegalStateException("two sink providers claim sink.type " + p.type() + ": "
                        + before.getClass().getName() + " and " + p.getClass().getName());
            }
            out.add(p);
        }
        out.sort(Comparator.comparing(SinkProvider::type));
        return List.copyOf(out);
    }
}
