package io.sluice.app.config;

import io.sluice.core.encode.JsonOptions;
import io.sluice.core.pipeline.BatchPolicy;
import io.sluice.core.sink.SinkConfig;
import io.sluice.mysql.schema.SchemaPolicy;
import io.sluice.mysql.source.MySqlSourceConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One pipeline, as loaded from its YAML file by {@link ConfigLoader}. Paths are absolute. {@link #toString()}
 * masks the source password.
 *
 * @param name        the pipeline name, also {@code source.name()}
 * @param source      the MySQL/MariaDB source
 * @param sink        where events go
 * @param state       the checkpoint directory
 * @param batch       when the sink flushes
 * @param queueEvents capacity of the queue between source and sink
 * @param file        the file this came from
 * @param schema      the schema compatibility policy
 * @param rules       the rule file of transformation rules, or null for none
 * @param encoding    how JSON sinks write events ({@code encoding.*})
 */
public record PipelineConfig(
        String name,
        MySqlSourceConfig source,
        SinkConfig<?> sink,
        Path state,
        BatchPolicy batch,
        int queueEvents,
        Path file,
        SchemaPolicy schema,
        Path rules,
        JsonOptions encoding) {

    public PipelineConfig {
        schema = schema == null ? SchemaPolicy.DEFAULT : schema;
        encoding = encoding == null ? JsonOptions.DEFAULT : encoding;
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(file, "file");
        if (queueEvents < 1) {
            throw new IllegalArgumentException("queueEvents must be positive: " + queueEvents);
        }
    }

    /** This pipeline with the rule file {@code rules} (null for none). */
    public PipelineConfig withRules(Path rules) {
        return new PipelineConfig(name, source, sink, state, batch, queueEvents, file, schema, rules, encoding);
    }

    /** Settings built one by one; schema, rules and encoding not set take their defaults (null for rules). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link PipelineConfig}s; each setter names the record component it sets. */
    public static final class Builder {
        private String name;
        private MySqlSourceConfig source;
        private SinkConfig<?> sink;
        private Path state;
        private BatchPolicy batch;
        private int queueEvents;
        private Path file;
        private SchemaPolicy schema;
        private Path rules;
        private JsonOptions encoding;

        private Builder() {}

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder source(MySqlSourceConfig source) {
            this.source = source;
            return this;
        }

        public Builder sink(SinkConfig<?> sink) {
            this.sink = sink;
            return this;
        }

        public Builder state(Path state) {
            this.state = state;
            return this;
        }

        public Builder batch(BatchPolicy batch) {
            this.batch = batch;
            return this;
        }

        public Builder queueEvents(int queueEvents) {
            this.queueEvents = queueEvents;
            return this;
        }

        public Builder file(Path file) {
            this.file = file;
            return this;
        }

        public Builder schema(SchemaPolicy schema) {
            this.schema = schema;
            return this;
        }

        public Builder rules(Path rules) {
            this.rules = rules;
            return this;
        }

        public Builder encoding(JsonOptions encoding) {
            this.encoding = encoding;
            return this;
        }

        public PipelineConfig build() {
            return new PipelineConfig(name, source, sink, state, batch, queueEvents, file, schema, rules, encoding);
        }
    }

    @Override
    public String toString() {
        return "PipelineConfig[name=" + name + ", source=" + masked(source) + ", sink=" + sink + ", state=" + state
                + ", batch=" + batch + ", queueEvents=" + queueEvents + ", file=" + file + ", schema=" + schema
                + (rules == null ? "" : ", rules=" + rules)
                + (encoding.equals(JsonOptions.DEFAULT) ? "" : ", encoding=" + encoding) + "]";
    }

    /** The source's {@code toString()} with the password replaced by {@code ****} (or shown empty when it is). */
    public static String masked(MySqlSourceConfig s) {
        return "MySqlSourceConfig[name=" + s.name() + ", host=" + s.host() + ", port=" + s.port() + ", user=" + s.user()
                + ", password=" + mask(s.password()) + ", serverId=" + s.serverId() + ", include=" + s.include()
                + ", exclude=" + s.exclude() + ", start=" + s.start() + ", tls=" + s.tls()
                + ", connectTimeout=" + s.connectTimeout() + "]";
    }

    static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "" : "****";
    }
}
