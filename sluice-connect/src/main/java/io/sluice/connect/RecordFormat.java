package io.sluice.connect;

import io.sluice.core.event.ChangeEvent;
import io.sluice.kafka.StateTopic;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.storage.Converter;

/**
 * How the task hands keys and values to Connect's converters ({@code value.format}): the contract's JSON as bytes
 * ({@code json}, for {@code ByteArrayConverter}), the same JSON as a string ({@code json-string}, for
 * {@code StringConverter}), or Connect {@code Struct}s with schemas ({@code struct}, {@link StructEvents}). State
 * records go through the same converters, so the task reads the state topic back through them too
 * ({@link #stateDecoder}).
 */
final class RecordFormat {
    static final String BYTES_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";
    static final String STRING_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

    /** A key or value with its schema. */
    record Data(Schema schema, Object value) {}

    private final String name;
    private final StructEvents structs;

    RecordFormat(String name) {
        this(name, StructEvents.Temporals.TEXT);
    }

    /** A format; {@code temporals} says how {@code struct} types temporal columns. */
    RecordFormat(String name, StructEvents.Temporals temporals) {
        this(name, temporals, false);
    }

    /** A format; with {@code avroNames} {@code struct} names fields with valid Avro names ({@link StructEvents}). */
    RecordFormat(String name, StructEvents.Temporals temporals, boolean avroNames) {
        this.name = name;
        this.structs = "struct".equals(name) ? new StructEvents(temporals, avroNames) : null;
    }

    /** The event's key; {@code json} is its contract JSON, null for an event without a key. */
    Data key(ChangeEvent e, byte[] json) {
        if (json == null) {
            return new Data(null, null);
        }
        return switch (name) {
            case "json-string" -> new Data(Schema.STRING_SCHEMA, new String(json, StandardCharsets.UTF_8));
            case "struct" -> new Data(structs.keySchema(e), structs.key(e));
            default -> new Data(Schema.BYTES_SCHEMA, json);
        };
    }

    /** The event's value; {@code json} is its contract JSON envelope. */
    Data value(ChangeEvent e, byte[] json) {
        return switch (name) {
            case "json-string" -> new Data(Schema.STRING_SCHEMA, new String(json, StandardCharsets.UTF_8));
            case "struct" -> new Data(structs.valueSchema(e), structs.value(e, json));
            default -> new Data(Schema.BYTES_SCHEMA, json);
        };
    }

    /** A state record's key. */
    Data stateKey(String key) {
        return "json".equals(name)
                ? new Data(Schema.BYTES_SCHEMA, key.getBytes(StandardCharsets.UTF_8))
                : new Data(Schema.STRING_SCHEMA, key);
    }

    /** A state record's value (JSON text as UTF-8). */
    Data stateValue(byte[] value) {
        return "json-string".equals(name)
                ? new Data(Schema.STRING_SCHEMA, new String(value, StandardCharsets.UTF_8))
                : new Data(Schema.BYTES_SCHEMA, value);
    }

    /**
     * Decoders for the state topic's keys and values: as stored for {@code json} and {@code json-string}; through
     * the connector's {@code key.converter}/{@code value.converter} (and their {@code .}-prefixed settings) for
     * {@code struct}.
     */
    List<StateTopic.Decoder> stateDecoder(Map<String, String> props) {
        if (!"struct".equals(name)) {
            return List.of((t, b) -> b, (t, b) -> b);
        }
        return List.of(converted(props, "key.converter", true), converted(props, "value.converter", false));
    }

    private static StateTopic.Decoder converted(Map<String, String> props, String key, boolean isKey) {
        Converter c;
        try {
            c = Utils.newInstance(props.get(key), Converter.class);
        } catch (ClassNotFoundException e) {
            throw new org.apache.kafka.common.config.ConfigException(key, props.get(key), "class not found");
        }
        Map<String, Object> settings = new HashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith(key + ".")) {
                settings.put(k.substring(key.length() + 1), v);
            }
        });
        c.configure(settings, isKey);
        return (topic, stored) -> {
            if (stored == null) {
                return null;
            }
            SchemaAndValue sv = c.toConnectData(topic, stored);
            Object v = sv.value();
            if (v instanceof String s) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            if (v instanceof ByteBuffer bb) {
                byte[] out = new byte[bb.remaining()];
                bb.get(out);
                return out;
            }
            return (byte[]) v;
        };
    }

    /**
     * Problems with the connector's converters for this format (empty when they fit): {@code json} needs
     * {@code ByteArrayConverter} where one is set, {@code json-string} {@code StringConverter}, {@code struct} both
     * set on the connector, to a schema-aware converter.
     */
    static Map<String, String> converterProblems(String format, Map<String, String> props) {
        Map<String, String> problems = new HashMap<>();
        for (String key : List.of("key.converter", "value.converter")) {
            String value = props.get(key);
            switch (format) {
                case "json-string" -> {
                    if (value != null && !value.equals(STRING_CONVERTER)) {
                        problems.put(
                                key,
                                key + " must be " + STRING_CONVERTER + " with value.format=json-string:"
                                        + " keys and values are the contract's JSON as strings, written as they are");
                    }
                }
                case "struct" -> {
                    if (value == null || value.equals(BYTES_CONVERTER) || value.equals(STRING_CONVERTER)) {
                        problems.put(
                                key,
                                key + " must be set on the connector to a converter of Structs with"
                                        + " schemas (io.confluent.connect.avro.AvroConverter,"
                                        + " org.apache.kafka.connect.json.JsonConverter, ...) with value.format=struct; the"
                                        + " task also reads its state topic back through it");
                    }
                }
                default -> {
                    if (value != null && !value.equals(BYTES_CONVERTER)) {
                        problems.put(
                                key,
                                key + " must be " + BYTES_CONVERTER + " with value.format=json: keys and"
                                        + " values are the contract's JSON bytes, written as they are (value.format="
                                        + "json-string for StringConverter, struct for schema-aware converters)");
                    }
                }
            }
        }
        return problems;
    }
}
