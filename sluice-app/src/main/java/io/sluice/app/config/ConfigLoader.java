package io.sluice.app.config;

import static io.sluice.app.config.ConfigKeys.*;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.sluice.core.config.ConfigKey;
import io.sluice.core.config.ConfigValues;
import io.sluice.core.config.ValueType;
import io.sluice.core.encode.JsonOptions;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.sink.SinkConfig;
import io.sluice.core.sink.SinkProvider;
import io.sluice.core.sink.SinkProviders;
import io.sluice.mysql.config.SourceKeys;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads pipeline files, validating them against {@link ConfigKeys#ALL}. Every problem in a file is reported, each
 * as one line naming the file and key; any problem fails the whole load with a {@link ConfigException}.
 */
public final class ConfigLoader {
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build());

    private final EnvSubstitution env;

    /** A loader reading {@code ${VARIABLES}} from {@code env} (tests pass their own map). */
    public ConfigLoader(Map<String, String> env) {
        this.env = new EnvSubstitution(env);
    }

    /** A loader reading {@code ${VARIABLES}} from the process environment. */
    public ConfigLoader() {
        this(System.getenv());
    }

    /** Loads one pipeline file. */
    public PipelineConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        String display = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(display + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(display + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? display : display + ":" + at.getLineNr() + ":" + at.getColumnNr();
            // SnakeYAML's messages span lines: keep the sentences, drop the "in 'reader'" marks and excerpts
            String why = Objects.requireNonNullElse(e.getOriginalMessage(), "unreadable")
                    .lines()
                    .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                    .collect(Collectors.joining("; "));
            throw new ConfigException(where + ": malformed YAML: " + why);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(
                    display + ": the file is empty; expected a mapping with at least " + requiredPaths());
        }
        if (!root.isObject()) {
            throw new ConfigException(display + ": expected a mapping with at least " + requiredPaths() + ", found "
                    + ValueType.describe(root));
        }
        return new FileReader(display, file.toAbsolutePath().normalize(), (ObjectNode) root).read();
    }

    /**
     * Loads several pipelines. A directory stands for every {@code *.yaml} and {@code *.yml} file directly in it,
     * in name order. Fails, listing every problem, if any file is invalid or two pipelines share a name, a directory
     * they write (a state directory, a file sink's {@code sink.path}, or one pipeline's state as another's sink.path),
     * or a server id on the same server (host names compared case-insensitively, loopback names as one).
     */
    public List<PipelineConfig> loadAll(List<Path> filesOrDirs) {
        List<String> problems = new ArrayList<>();
        Set<Path> files = new LinkedHashSet<>();
        Map<Path, Path> asGiven = new HashMap<>();
        for (Path p : filesOrDirs) {
            for (Path f : expand(p, problems)) {
                Path key = f.toAbsolutePath().normalize();
                if (files.add(key)) {
                    asGiven.put(key, f);
                }
            }
        }
        List<PipelineConfig> configs = new ArrayList<>();
        for (Path f : files) {
            try {
                configs.add(load(asGiven.get(f)));
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        checkDistinct(configs, PipelineConfig::name, "pipeline name", problems);
        checkDirectories(configs, problems);
        checkServerIds(configs, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return List.copyOf(configs);
    }

    private static List<Path> expand(Path p, List<String> problems) {
        if (!Files.isDirectory(p)) {
            if (!Files.exists(p)) {
                problems.add(p + ": no such file or directory");
                return List.of();
            }
            return List.of(p);
        }
        try (Stream<Path> entries = Files.list(p)) {
            List<Path> found = entries.filter(f -> f.getFileName().toString().endsWith(".yaml")
                            || f.getFileName().toString().endsWith(".yml"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .collect(Collectors.toList());
            if (found.isEmpty()) {
                problems.add(p + ": no *.yaml or *.yml files in this directory");
            }
            return found;
        } catch (IOException e) {
            problems.add(p + ": cannot list directory: " + e.getMessage());
            return List.of();
        }
    }

    private static <K> void checkDistinct(
            List<PipelineConfig> configs,
            java.util.function.Function<PipelineConfig, K> key,
            String what,
            List<String> problems) {
        Map<K, PipelineConfig> seen = new HashMap<>();
        for (PipelineConfig c : configs) {
            PipelineConfig first = seen.putIfAbsent(key.apply(c), c);
            if (first != null) {
                problems.add(c.file() + ": " + what + " \"" + key.apply(c) + "\" is already used by pipeline "
                        + first.name() + " in " + first.file());
            }
        }
    }

    /**
     * Every directory a pipeline writes (its state, its file sink's path) belongs to that pipeline alone: two writers
     * of one checkpoint or one segment sequence duplicate and lose events. One pipeline may use one directory for both.
     */
    private static void checkDirectories(List<PipelineConfig> configs, List<String> problems) {
        record Use(PipelineConfig config, String role) {}
        Map<Path, Use> seen = new HashMap<>();
        for (PipelineConfig c : configs) {
            Map<Path, Use> own = new LinkedHashMap<>();
            own.put(c.state(), new Use(c, "state directory"));
            c.sink().outputDirectory().ifPresent(dir -> own.putIfAbsent(dir, new Use(c, outputKey(c))));
            own.forEach((dir, use) -> {
                Use first = seen.putIfAbsent(dir, use);
                if (first != null) {
                    problems.add(c.file() + ": " + use.role() + " \"" + dir + "\" is already used by pipeline "
                            + first.config().name() + " in " + first.config().file()
                            + (first.role().equals(use.role()) ? "" : " as its " + first.role()));
                }
            });
        }
    }

    /** The path of the key naming a pipeline's sink output directory, e.g. {@code sink.path}. */
    public static String outputKey(PipelineConfig c) {
        return ALL.stream()
                .filter(k -> k.isOutputDirectory()
                        && k.when() != null
                        && c.sink().type().equals(k.when().value()))
                .map(ConfigKey::path)
                .findFirst()
                .orElse("sink");
    }

    /**
     * Two pipelines reading one server with one {@code source.server-id} would make the server drop one connection
     * whenever the other connects. Host names compare case-insensitively, and the loopback names as one.
     */
    private static void checkServerIds(List<PipelineConfig> configs, List<String> problems) {
        Map<String, PipelineConfig> seen = new HashMap<>();
        for (PipelineConfig c : configs) {
            String server = serverKey(c.source().host()) + ":" + c.source().port();
            PipelineConfig first = seen.putIfAbsent(server + "/" + c.source().serverId(), c);
            if (first != null) {
                problems.add(c.file() + ": source.server-id: " + c.source().serverId() + " is already used by"
                        + " pipeline " + first.name() + " (" + first.file() + ") on the same server "
                        + c.source().host() + ":" + c.source().port() + "; the server keeps one replica connection"
                        + " per id, so the two would disconnect each other: give each pipeline its own"
                        + " source.server-id");
            }
        }
    }

    private static String serverKey(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || h.startsWith("127.")
                ? "localhost"
                : h;
    }

    private static String requiredPaths() {
        return ALL.stream()
                .filter(k -> k.isRequired() && k.when() == null)
                .map(ConfigKey::path)
                .collect(Collectors.joining(", "));
    }

    /** The reading of one file: parsed values by key, and the problems found so far. */
    private final class FileReader {
        private final String display;
        private final Path file;
        private final Path baseDir;
        private final ObjectNode root;
        private final List<String> problems = new ArrayList<>();
        private final Map<ConfigKey<?>, Object> values = new HashMap<>();
        /** Paths reported as not applying, each reported once. */
        private final Set<String> notApplying = new HashSet<>();

        FileReader(String display, Path file, ObjectNode root) {
            this.display = display;
            this.file = file;
            this.baseDir = file.getParent();
            this.root = root;
        }

        PipelineConfig read() {
            checkStructure();
            for (ConfigKey<?> key : ALL) {
                readKey(key);
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            String name = get(NAME);
            for (ConfigKey<?> key : ALL) {
                if (!values.containsKey(key) && applies(key)) {
                    values.put(key, key.defaultValue(name, baseDir));
                }
            }
            return build();
        }

        private PipelineConfig build() {
            String name = get(NAME);
            MySqlSourceConfig source = SourceKeys.source(
                    name, this::get, file == null ? null : file.toAbsolutePath().normalize());
            SinkConfig<?> sink = sink(name);
            BatchPolicy batch = new BatchPolicy(get(BATCH_MAX_EVENTS), get(BATCH_MAX_BYTES), get(BATCH_MAX_MS));
            SchemaPolicy schema = SourceKeys.policy(this::get);
            return new PipelineConfig(
                    name,
                    source,
                    sink,
                    get(STATE),
                    batch,
                    get(QUEUE_MAX_EVENTS),
                    file,
                    schema,
                    get(RULES),
                    new JsonOptions(
                            get(ENCODING_BIGINT), get(ENCODING_TRANSACTION_MARKERS), get(ENCODING_ANNOUNCE_SCHEMAS)));
        }

        /** The sink {@code sink.type} names, configured by the values of its provider's keys. */
        private SinkConfig<?> sink(String name) {
            String type = get(SINK_TYPE);
            SinkProvider<?> provider = SinkProviders.find(type).orElseThrow();
            ConfigValues sinkValues = new ConfigValues(name);
            for (ConfigKey<?> key : ALL) {
                if (key.when() != null
                        && key.when().key() == SINK_TYPE
                        && type.equals(key.when().value())) {
                    put(sinkValues, key);
                }
            }
            return SinkConfig.of(provider, sinkValues);
        }

        private <T> void put(ConfigValues into, ConfigKey<T> key) {
            into.put(key, get(key));
        }

        @SuppressWarnings("unchecked")
        private <T> T get(ConfigKey<T> key) {
            return (T) values.get(key);
        }

        /** Unknown keys and sections that are not mappings. */
        private void checkStructure() {
            Set<String> sections = ALL.stream()
                    .map(ConfigKeys::sectionOf)
                    .filter(s -> !s.isEmpty())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            Set<String> paths = ALL.stream().map(ConfigKey::path).collect(Collectors.toSet());
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String top = field.getKey();
                if (paths.contains(top)) {
                    continue;
                }
                if (!sections.contains(top)) {
                    unknown(top);
                    continue;
                }
                JsonNode section = field.getValue();
                if (!section.isObject()) {
                    problem(
                            top,
                            "expected a mapping of " + top + " keys (" + keysOf(top) + "), found "
                                    + ValueType.describe(section));
                    continue;
                }
                for (Iterator<String> names = section.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    checkKnown(paths, top + "." + name, section.get(name));
                }
            }
        }

        /**
         * Reports {@code path} as unknown unless it is a key, or a mapping of keys below it ({@code heartbeat:} with
         * {@code table:} for {@code source.heartbeat.table}), whose own keys are checked in turn.
         */
        private void checkKnown(Set<String> paths, String path, JsonNode value) {
            if (paths.contains(path)) {
                return;
            }
            if (value != null && value.isObject() && paths.stream().anyMatch(p -> p.startsWith(path + "."))) {
                for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    checkKnown(paths, path + "." + name, value.get(name));
                }
                return;
            }
            unknown(path);
        }

        private void unknown(String path) {
            // a key of this file's sink type is a nearer name than one of another type; any key is better than none
            Optional<String> near = nearestKey(path, this::mayApply).or(() -> nearestKey(path, key -> true));
            int dot = path.lastIndexOf('.');
            String section = dot < 0 ? "" : path.substring(0, dot);
            problem(
                    path,
                    "unknown key"
                            + near.map(n -> "; did you mean " + n + "?")
                                    .orElseGet(() -> "; expected one of " + keysOf(section)));
        }

        private String keysOf(String section) {
            List<String> names = new ArrayList<>();
            for (ConfigKey<?> key : ALL) {
                if (ConfigKeys.sectionOf(key).equals(section)) {
                    names.add(section.isEmpty() ? key.path() : key.path().substring(section.length() + 1));
                }
            }
            if (section.isEmpty()) {
                ConfigKeys.SECTIONS.stream()
                        .map(Section::name)
                        .filter(s -> !s.isEmpty())
                        .forEach(names::add);
            }
            return String.join(", ", names);
        }

        private <T> void readKey(ConfigKey<T> key) {
            JsonNode node = find(key.path());
            ConfigKey.Condition<?> when = key.when();
            if (when != null) {
                Object actual = values.get(when.key());
                if (actual == null) {
                    return; // the key it depends on is missing or invalid, and already reported
                }
                if (!actual.equals(when.value())) {
                    if (node != null
                            && notApplying.add(key.path())
                            && ALL.stream().noneMatch(k -> k.path().equals(key.path()) && applies(k))
                            // nor the section of keys that apply (file's sink.retention.max-age, kafka's retention)
                            && ALL.stream().noneMatch(k -> k.path().startsWith(key.path() + ".") && applies(k))) {
                        // a key several sinks declare is reported once, with every condition that would allow it
                        problem(
                                key.path(),
                                "only applies when "
                                        + ALL.stream()
                                                .filter(k -> k.path().equals(key.path()) && k.when() != null)
                                                .map(k -> k.when().describe())
                                                .collect(Collectors.joining(" or "))
                                        + ", but " + when.key().path() + " is " + formatAny(when.key(), actual)
                                        + "; remove it");
                    }
                    return;
                }
            }
            if (node == null) {
                if (key.isRequired()) {
                    problem(
                            key.path(),
                            "missing; expected " + key.expected()
                                    + (key.when() == null ? "" : " (required when " + when.describe() + ")"));
                }
                return;
            }
            JsonNode substituted;
            try {
                substituted = substitute(node);
            } catch (EnvSubstitution.MissingVariable e) {
                problem(
                        key.path(),
                        "environment variable " + e.variable + " is not set (write ${" + e.variable
                                + ":-default} to give a default)");
                return;
            }
            try {
                values.put(key, key.type().parse(substituted, baseDir));
            } catch (ValueType.InvalidValue e) {
                String found = key.isSecret() ? "a value that is not shown" : ValueType.describe(substituted);
                problem(
                        key.path(),
                        e.detail() != null && !key.isSecret()
                                ? e.detail()
                                : "expected " + key.expected() + ", found " + found);
            }
        }

        @SuppressWarnings("unchecked")
        private <V> String formatAny(ConfigKey<V> key, Object value) {
            return key.type().format((V) value);
        }

        private Optional<String> nearestKey(String path, java.util.function.Predicate<ConfigKey<?>> candidates) {
            return Suggestions.nearest(
                    path,
                    Stream.concat(
                                    ALL.stream().filter(candidates).map(ConfigKey::path),
                                    ConfigKeys.SECTIONS.stream().map(Section::name))
                            .filter(s -> !s.isEmpty())
                            .collect(Collectors.toList()));
        }

        /**
         * Whether a key may apply to this file, judged from the raw file before any value is read: false only for a
         * key whose condition names a value the file sets otherwise (a key of another sink type).
         */
        private boolean mayApply(ConfigKey<?> key) {
            ConfigKey.Condition<?> when = key.when();
            if (when == null) {
                return true;
            }
            JsonNode set = find(when.key().path());
            return set == null
                    || !set.isValueNode()
                    || String.valueOf(when.value()).equals(set.asText());
        }

        private boolean applies(ConfigKey<?> key) {
            ConfigKey.Condition<?> when = key.when();
            return when == null || when.value().equals(values.get(when.key()));
        }

        /** The node at a dotted path, or null if absent (sections that are not mappings were reported already). */
        private JsonNode find(String path) {
            return find(root, path);
        }

        /**
         * The value at {@code path} below {@code node}: nested ({@code heartbeat: {table: ...}}) or written with its
         * dots ({@code heartbeat.table: ...}), at any level.
         */
        private static JsonNode find(JsonNode node, String path) {
            if (node == null || !node.isObject()) {
                return null;
            }
            JsonNode whole = node.get(path);
            if (whole != null) {
                return whole;
            }
            int dot = path.indexOf('.');
            return dot < 0 ? null : find(node.get(path.substring(0, dot)), path.substring(dot + 1));
        }

        private JsonNode substitute(JsonNode node) throws EnvSubstitution.MissingVariable {
            if (node.isTextual()) {
                return TextNode.valueOf(env.apply(node.textValue()));
            }
            if (node.isArray()) {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                for (JsonNode item : node) {
                    out.add(substitute(item));
                }
                return out;
            }
            if (node.isObject()) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    out.set(field.getKey(), substitute(field.getValue()));
                }
                return out;
            }
            return node;
        }

        private void problem(String path, String message) {
            problems.add(display + ": " + path + ": " + message);
        }
    }
}
