package io.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a configuration value: how it reads from YAML (as a Jackson tree), what it says it expected when it
 * cannot (this is the key's validation), and how a default is written in the reference. Values arrive with
 * {@code ${ENV}} references already replaced. The static methods make the common types; a module may declare its
 * own with {@link Simple}.
 */
public interface ValueType<T> {

    /** What a valid value looks like, completing "expected ...": {@code an integer from 1 to 65535}. */
    String expected();

    /** Reads a value; relative paths resolve against {@code baseDir}. */
    T parse(JsonNode node, Path baseDir) throws InvalidValue;

    /** The value as it would be written in YAML, for the reference. */
    String format(T value);

    /** A value that does not fit; {@code detail}, when given, replaces the generic "expected ..., found ..." text. */
    final class InvalidValue extends Exception {
        private final String detail;

        /** The value does not fit: the message says what was expected and what was found. */
        public InvalidValue() {
            this(null);
        }

        /** The value does not fit, and {@code detail} says why instead of the generic message. */
        public InvalidValue(String detail) {
            super(detail, null, false, false);
            this.detail = detail;
        }

        /** Why the value does not fit, or null for the generic "expected ..., found ..." message. */
        public String detail() {
            return detail;
        }
    }

    /** Reads one value; relative paths resolve against {@code baseDir}. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(JsonNode node, Path baseDir) throws InvalidValue;
    }

    /** A type made of its parts: what it expects, how it parses, how it formats. */
    record Simple<T>(String expected, Parser<T> parser, Function<T, String> formatter) implements ValueType<T> {
        @Override
        public T parse(JsonNode node, Path baseDir) throws InvalidValue {
            return parser.parse(node, baseDir);
        }

        @Override
        public String format(T value) {
            return formatter.apply(value);
        }
    }

    // ---- built-in types ----

    static ValueType<String> string() {
        return new Simple<>("a string", (node, base) -> scalarText(node), ValueType::quote);
    }

    static ValueType<String> matching(String regex, String expected) {
        Pattern pattern = Pattern.compile(regex);
        return new Simple<>(
                expected,
                (node, base) -> {
                    String text = scalarText(node);
                    if (!pattern.matcher(text).matches()) {
                        throw new InvalidValue();
                    }
                    return text;
                },
                ValueType::quote);
    }

    static ValueType<Integer> integer(int min, int max) {
        return new Simple<>(
                range("an integer", min, max), (node, base) -> (int) integral(node, min, max), String::valueOf);
    }

    static ValueType<Long> longInteger(long min, long max) {
        return new Simple<>(range("an integer", min, max), (node, base) -> integral(node, min, max), String::valueOf);
    }

    static ValueType<Boolean> bool() {
        return new Simple<>(
                "true or false",
                (node, base) -> {
                    if (node.isBoolean()) {
                        return node.booleanValue();
                    }
                    if (node.isTextual()) {
                        switch (node.textValue()) {
                            case "true":
                                return true;
                            case "false":
                                return false;
                            default:
                                break;
                        }
                    }
                    throw new InvalidValue();
                },
                String::valueOf);
    }

    /** Durations written {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or {@code 7d}, at least {@code min}. */
    static ValueType<Duration> duration(Duration min) {
        Pattern form = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");
        return new Simple<>(
                "a duration like 500ms, 10s or 2m (at least " + formatDuration(min) + ")",
                (node, base) -> {
                    Matcher m = form.matcher(scalarText(node).trim());
                    if (!m.matches()) {
                        throw new InvalidValue();
                    }
                    long n = Long.parseLong(m.group(1));
                    Duration d = switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                    if (d.compareTo(min) < 0) {
                        throw new InvalidValue();
                    }
                    return d;
                },
                ValueType::formatDuration);
    }

    /**
     * Byte sizes: plain bytes, or a number with a unit: {@code KiB MiB GiB} (powers of 1024) or {@code kB KB MB GB}
     * (powers of 1000).
     */
    static ValueType<Long> size(long min) {
        Pattern form = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB|kB|KB|MB|GB)?");
        Map<String, Long> units = Map.of(
                "B",
                1L,
                "KiB",
                1L << 10,
                "MiB",
                1L << 20,
                "GiB",
                1L << 30,
                "kB",
                1_000L,
                "KB",
                1_000L,
                "MB",
                1_000_000L,
                "GB",
                1_000_000_000L);
        return new Simple<>(
                "a size like 128MiB, 64MB or 1048576 (bytes; at least " + formatSize(min) + ")",
                (node, base) -> {
                    String text = node.isIntegralNumber()
                            ? node.asText()
                            : scalarText(node).trim();
                    Matcher m = form.matcher(text);
                    if (!m.matches()) {
                        throw new InvalidValue();
                    }
                    long bytes = Long.parseLong(m.group(1)) * units.get(m.group(2) == null ? "B" : m.group(2));
                    if (bytes < min) {
                        throw new InvalidValue();
                    }
                    return bytes;
                },
                ValueType::formatSize);
    }

    /** An enum written in lower case with hyphens: {@code VERIFY_CA} is {@code verify-ca}. */
    static <E extends Enum<E>> ValueType<E> enumeration(Class<E> type) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(yamlName(e));
        }
        return new Simple<>(
                "one of " + String.join(", ", names),
                (node, base) -> {
                    String text = scalarText(node);
                    for (E e : type.getEnumConstants()) {
                        if (yamlName(e).equals(text)) {
                            return e;
                        }
                    }
                    throw new InvalidValue();
                },
                ValueType::yamlName);
    }

    /** A file system path; relative paths resolve against the config file's directory. */
    static ValueType<Path> path() {
        return new Simple<>(
                "a path",
                (node, base) -> {
                    String text = scalarText(node);
                    if (text.isBlank()) {
                        throw new InvalidValue();
                    }
                    try {
                        return base.resolve(text).normalize();
                    } catch (java.nio.file.InvalidPathException e) {
                        throw new InvalidValue();
                    }
                },
                p -> p.toString().replace('\\', '/'));
    }

    /** A mapping of names to scalar values, kept as strings in the order written (client properties). */
    static ValueType<Map<String, String>> stringMap() {
        return new Simple<>(
                "a mapping of names to values",
                (node, base) -> {
                    if (!node.isObject()) {
                        throw new InvalidValue();
                    }
                    Map<String, String> out = new java.util.LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        out.put(e.getKey(), scalarText(e.getValue()));
                    }
                    return Map.copyOf(out);
                },
                m -> m.isEmpty() ? "{}" : "{" + String.join(", ", m.keySet()) + "}");
    }

    /** The text of a scalar (numbers and booleans as written); anything else does not fit. */
    static String scalarText(JsonNode node) throws InvalidValue {
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        throw new InvalidValue();
    }

    /** An integer (or an integer written as a string) from {@code min} to {@code max}. */
    static long integral(JsonNode node, long min, long max) throws InvalidValue {
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else if (node.isTextual() && node.textValue().trim().matches("-?\\d{1,18}")) {
            value = Long.parseLong(node.textValue().trim());
        } else {
            throw new InvalidValue();
        }
        if (value < min || value > max) {
            throw new InvalidValue();
        }
        return value;
    }

    private static String range(String what, long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return what + " of at least " + min;
        }
        return what + " from " + min + " to " + max;
    }

    /** An enum constant as written in YAML: lower case, hyphens for underscores. */
    static String yamlName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A string in double quotes, escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** A found value as error messages show it: {@code "abc"}, {@code 42}, {@code a list}. */
    static String describe(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            return quote(node.textValue());
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.asText();
    }

    /** A duration as written in YAML, in its largest whole unit. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0 && ms > 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** A size as written in YAML, in its largest whole binary unit. */
    static String formatSize(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KiB";
        }
        return String.valueOf(bytes);
    }
}
