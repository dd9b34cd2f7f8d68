package io.sluice.app.sinkspi;

import static io.sluice.core.config.ValueType.integer;
import static io.sluice.core.config.ValueType.matching;

import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import io.sluice.core.event.ChangeEvent;
import io.sluice.core.sink.Sink;
import io.sluice.core.sink.SinkContext;
import io.sluice.core.sink.SinkProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sink known to the application only through {@code META-INF/services} in the test resources: {@code sink: {type:
 * collect, label: …}} keeps the events it is given in memory, under its label, for the test to read. Nothing in the
 * application names it; it shows that a sink module needs no edit outside itself.
 */
public final class CollectingSinkProvider implements SinkProvider<CollectingSinkProvider.Settings> {
    public static final ConfigKey<String> LABEL = ConfigKey.required(
            "label",
            matching("[a-z0-9-]+", "a label of lower-case letters, digits and '-'"),
            "Where the test finds the events.");

    public static final ConfigKey<Integer> CAPACITY =
            ConfigKey.optional("capacity", integer(1, 1_000_000), 10_000, "Events kept at most.");

    /** Events made durable, by label. */
    private static final Map<String, Collected> COLLECTED = new ConcurrentHashMap<>();

    /**
     * @param label    where the events go
     * @param capacity events kept at most
     */
    public record Settings(String label, int capacity) {}

    /** What a collecting sink made durable: its events in order, and the checkpoint after them. */
    public static final class Collected {
        private final List<ChangeEvent> events = new ArrayList<>();
        private Checkpoint checkpoint;
        private String pipeline;

        /** The events committed so far. */
        public synchronized List<ChangeEvent> events() {
            return List.copyOf(events);
        }

        /** The name of the pipeline that made the sink ({@link SinkContext#pipeline()}). */
        public synchronized String pipeline() {
            return pipeline;
        }
    }

    /** Halts recorded "in the target" of each label: the source table they name. */
    private static final Map<String, String> HALTS = new ConcurrentHashMap<>();

    /** Records a halt for {@code table} in the sink of {@code label}, as a sink keeping its halt in its target does. */
    public static void halt(String label, String table) {
        HALTS.put(label, table);
    }

    /** Whether a halt is recorded for the sink of {@code label}. */
    public static boolean halted(String label) {
        return HALTS.containsKey(label);
    }

    /** What the sink of {@code label} collected; empty until it made something durable. */
    public static Collected collected(String label) {
        return COLLECTED.computeIfAbsent(label, l -> new Collected());
    }

    @Override
    public String type() {
        return "collect";
    }

    @Override
    public String description() {
        return "in memory, for tests";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(LABEL, CAPACITY);
    }

    @Override
    public Settings settings(ConfigValues values) {
        return new Settings(values.get(LABEL), values.get(CAPACITY));
    }

    @Override
    public Optional<String> clearHalt(Settings settings, String table) {
        return HALTS.remove(settings.label(), table)
                ? Optional.of("cleared the halt of " + table + " in " + settings.label())
                : Optional.empty();
    }

    @Override
    public Sink create(Settings settings, SinkContext context) {
        Collected into = collected(settings.label());
        synchronized (into) {
            into.pipeline = context.pipeline();
        }
        return new CollectingSink(into, settings.capacity());
    }

    /** Holds a transaction's events until it is committed and flushed. */
    private static final class CollectingSink implements Sink {
        private final Collected into;
        private final int capacity;
        private final List<ChangeEvent> written = new ArrayList<>();
        private int committed;
        private Checkpoint pending;

        CollectingSink(Collected into, int capacity) {
            this.into = into;
            this.capacity = capacity;
        }

        @Override
        public Optional<Checkpoint> open() {
            written.clear();
            committed = 0;
            pending = null;
            synchronized (into) {
                return Optional.ofNullable(into.checkpoint);
            }
        }

        @Override
        public long write(ChangeEvent event) {
            written.add(event);
            return 1;
        }

        @Override
        public void commit(Checkpoint checkpoint) {
            committed = written.size();
            pending = checkpoint;
        }

        @Override
        public boolean flush() {
            if (pending != null) {
                synchronized (into) {
                    for (ChangeEvent e : written.subList(0, committed)) {
                        if (into.events.size() < capacity) {
                            into.events.add(e);
                        }
                    }
                    into.checkpoint = pending;
                }
                written.subList(0, committed).clear();
                committed = 0;
                pending = null;
            }
            return true;
        }

        @Override
        public void close() {}
    }
}
