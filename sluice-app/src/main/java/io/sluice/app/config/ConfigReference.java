package io.sluice.app.config;

import io.sluice.core.config.ConfigKey;
import io.sluice.core.sink.SinkProvider;
import io.sluice.core.sink.SinkProviders;
import java.util.List;

/**
 * Generates {@code docs/configuration.md} from {@link ConfigKeys} and the sink providers' keys, so the reference
 * cannot drift from the loader.
 * {@code ConfigReferenceTest} compares the file with {@link #markdown()}.
 */
public final class ConfigReference {
    private ConfigReference() {}

    /** The full reference document, with the sinks installed. */
    public static String markdown() {
        return markdown(SinkProviders.installed());
    }

    /** The full reference document, with these sinks' keys under {@code sink:}. */
    public static String markdown(List<SinkProvider<?>> sinks) {
        List<ConfigKey<?>> all = ConfigKeys.all(ConfigKeys.sinkType(sinks), sinks);
        StringBuilder md = new StringBuilder();
        md.append("""
                <!--
                  Generated from io.sluice.app.config.ConfigKeys and the sink providers' keys by
                  io.sluice.app.config.ConfigReference; do not edit.
                  ConfigReferenceTest fails when this file differs from the table. To regenerate it, run
                    mvn -q -B -pl sluice-app -am verify -Dsluice.regenerateDocs=true
                -->
                # Configuration

                Sluice runs one pipeline per YAML file: `sluice run --config shop.yaml`, or `--config dir/` for every
                `*.yaml` and `*.yml` file in a directory. `sluice check` validates the files, connects to each
                source and lists every server setting or grant that is wrong, with the statement that fixes it, and
                what else would stop `sluice run`: include globs that match no table, a server id in use, a position
                the server has purged, a signal table that cannot be used, a lost schema history.

                ```yaml
                name: shop
                source:
                  host: 127.0.0.1
                  port: 3306
                  user: cdc
                  password: ${SHOP_DB_PASSWORD}
                  server-id: 5401
                  include: ["sales.*"]        # db.table globs; exclude: [...] too
                  start: earliest             # or latest, {file: mysql-bin.000003, pos: 4}, {gtid: "0-1-100"}
                sink:
                  type: file                  # or stdout
                  path: out/
                state: state/                 # checkpoints live here
                ```

                ## Rules

                - `${NAME}` anywhere in a string value is replaced by the environment variable `NAME`;
                  `${NAME:-default}` uses `default` when `NAME` is unset or empty. A variable that is unset and has
                  no default is an error naming the variable and the key.
                - Relative paths resolve against the directory of the configuration file.
                - Durations are written with a unit: `500ms`, `10s`, `2m`, `1h`.
                - Sizes are bytes, or a number with a unit: `KiB`, `MiB`, `GiB` (powers of 1024) or `kB`, `MB`, `GB`
                  (powers of 1000): `128MiB`, `64MB`, `1048576`.
                - Unknown keys are errors (with a suggestion for near misses), and so is a key that does not apply,
                  such as `sink.path` for `sink.type: stdout`.
                - Pipelines loaded together must differ in `name`, in the directories they write (`state`, and
                  `sink.path` of a file sink: no directory may serve two pipelines, in either role), and in
                  `source.server-id` when they read the same server.
                - While `sluice run` runs, it holds a lock (`.sluice.lock`) in each pipeline's `state` directory and
                  file sink `sink.path`: a second `sluice run` or `sluice schema rebuild` on them refuses to start,
                  naming the pid of the process that holds them.
                - Every problem is reported as `<file>: <key>: <what was expected and found>`; malformed YAML as
                  `<file>:<line>:<column>: malformed YAML: <reason>`.

                """);
        for (ConfigKeys.Section section : ConfigKeys.SECTIONS) {
            md.append("## ")
                    .append(section.name().isEmpty() ? "Top level" : "`" + section.name() + "`")
                    .append("\n\n");
            md.append(section.doc()).append("\n\n");
            md.append("| Key | Default | Value | Description |\n");
            md.append("|-----|---------|-------|-------------|\n");
            List<ConfigKey<?>> keys = all.stream()
                    .filter(k -> ConfigKeys.sectionOf(k).equals(section.name()))
                    .toList();
            for (ConfigKey<?> key : keys) {
                String dflt = key.isRequired()
                        ? "*required*"
                        : "`" + key.defaultText().orElseThrow() + "`";
                if (key.defaultText().filter(String::isEmpty).isPresent()
                        || "\"\"".equals(key.defaultText().orElse(null))) {
                    dflt = "empty";
                }
                String doc = key.doc()
                        + key.condition()
                                .map(c -> " Only when `" + c.replace(" is ", ": ") + "`.")
                                .orElse("");
                md.append("| `")
                        .append(key.path())
                        .append("` | ")
                        .append(dflt)
                        .append(" | ")
                        .append(cell(key.expected()))
                        .append(" | ")
                        .append(cell(doc))
                        .append(" |\n");
            }
            md.append('\n');
        }
        return md.toString().stripTrailing() + "\n";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "\\<");
    }
}
