package io.sluice.kafka;

import io.sluice.core.event.ChangeEvent;
import io.sluice.core.event.Shaping;
import io.sluice.core.sink.Sink;
import java.time.Clock;

/** The Kafka sink's factory. */
public final class KafkaSinks {
    /** Record header: the event's {@code id}. */
    public static final String HEADER_ID = "sluice.id";
    /** Record header: the event's {@code op} code. */
    public static final String HEADER_OP = "sluice.op";
    /** Record header: the event's {@code schema} number. */
    public static final String HEADER_SCHEMA = "sluice.schema";

    private KafkaSinks() {}

    /**
     * The database whose topic {@code event} goes to: its table's, or the one in the route a rule gave it
     * ({@link Shaping#route()}, the table's own database when the route names none).
     */
    public static String destinationDb(ChangeEvent event) {
        Shaping shaped = event.shaping();
        return shaped == null || shaped.route() == null || shaped.routeDb() == null
                ? event.source().db()
                : shaped.routeDb();
    }

    /** The table whose topic {@code event} goes to: its own, or the one a rule routed it to. */
    public static String destinationTable(ChangeEvent event) {
        Shaping shaped = event.shaping();
        return shaped == null || shaped.route() == null ? event.source().table() : shaped.routeTable();
    }

    /**
     * The event topic of a table as the Kafka sink names it: {@code template} ({@link
     * KafkaSinkConfig#DEFAULT_TOPIC_TEMPLATE} by default) with {@code {prefix}}, {@code {db}} and {@code {table}}
     * replaced, characters Kafka does not allow turned into {@code _}. Also used by the Kafka Connect connector, so
     * both write a table's events to the same topic.
     */
    public static String eventTopic(String template, String prefix, String db, String table) {
        return KafkaTopics.legal(template.replace("{prefix}", prefix)
                .replace("{db}", db == null ? "" : db)
                .replace("{table}", table == null ? "" : table));
    }

    /**
     * Exactly-once delivery into one topic per table ({@link KafkaSinkConfig#topicTemplate()}): a transactional
     * producer writes each batch of whole source transactions and the checkpoint covering them (to the compacted
     * topic {@link KafkaSinkConfig#offsetsTopic()}) in one Kafka transaction. {@code clock} stamps each event's
     * {@code ts_ms}.
     */
    public static Sink kafka(KafkaSinkConfig config, Clock clock) {
        return new KafkaSink(config, clock);
    }
}
