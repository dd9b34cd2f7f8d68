package io.sluice.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.config.ConfigLoader;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice rules deploy} checks the candidate against the tables' current schema versions in the pipeline's
 * schema history before it records anything: a rule naming a column the table no longer has is refused with the
 * rule, the column and the table named, and no version is recorded.
 */
class RulesCommandTest {
    @TempDir
    Path dir;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int sluice(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = SluiceCli.create(new SluiceCliTest.Recording(), new ConfigLoader(Map.of()), Map.of(), args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    Path config() throws IOException {
        Files.writeString(dir.resolve("rules.yaml"), rules("id"));
        return Files.writeString(dir.resolve("p.yaml"), """
                name: p
                source: {host: db.invalid, user: cdc, server-id: 7, connect-timeout: 1s}
                sink: {type: file, path: %s}
                state: %s
                rules: rules.yaml
                """.formatted(dir.resolve("p-out"), dir.resolve("p-state")));
    }

    /** A rule file of one rule on shop.orders whose condition reads {@code column} (also used by OperatorCliTest). */
    static String rules(String column) {
        return """
                rules:
                  - name: big-orders
                    match: {tables: ["shop.orders"]}
                    where: "after.%s > 10"
                """.formatted(column);
    }

    @Test
    void deployRefusesACandidateThatDoesNotFitTheCurrentSchemaNamingRuleColumnAndTable() throws IOException {
        Path config = config();
        // before the pipeline's first run there is no history: nothing to check against
        assertThat(sluice("rules", "deploy", "-c", config.toString(), "-m", "first"))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("deployed rule version 1", "checked against the current schema of 0");

        SchemaHistory h = SchemaHistory.open(dir.resolve("p-state"));
        h.append(new SchemaVersion(
                "shop.orders",
                1,
                "mysql-bin.000001",
                4,
                null,
                SchemaVersion.TABLE_MAP,
                OperatorCliTest.model("id", "total"),
                List.of()));
        h.append(new SchemaVersion(
                "shop.orders",
                2,
                "mysql-bin.000001",
                900,
                "ALTER TABLE orders DROP total",
                SchemaVersion.DDL,
                OperatorCliTest.model("id", "qty"),
                List.of()));

        // 'total' was in version 1 only: the candidate does not fit version 2, the current one
        Path candidate = Files.writeString(dir.resolve("v2.yaml"), rules("total"));
        assertThat(sluice("rules", "deploy", "-c", config.toString(), "--rules", candidate.toString()))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString())
                .contains("does not fit the current schema of shop.orders (version 2)")
                .contains("big-orders")
                .contains("total")
                .contains("Nothing deployed");
        assertThat(sluice("rules", "list", "-c", config.toString())).isZero();
        assertThat(out.toString()).contains("first").doesNotContain("v2.yaml");

        // one that fits is recorded, saying what it was checked against
        Path fits = Files.writeString(dir.resolve("v3.yaml"), rules("qty"));
        assertThat(sluice("rules", "deploy", "-c", config.toString(), "--rules", fits.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .contains("deployed rule version 2", "checked against the current schema of 1 table(s)");

        // a dropped table is not checked
        h.append(new SchemaVersion(
                "shop.orders", 3, "mysql-bin.000001", 1900, "DROP TABLE orders", SchemaVersion.DDL, null, List.of()));
        assertThat(sluice("rules", "deploy", "-c", config.toString(), "--rules", candidate.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("deployed rule version 3", "schema of 0 table(s)");
    }

    /**
     * {@code preview} and {@code replay} refuse bad usage before they connect: both --last and --from, --to without
     * --from, an unknown output, replay without --from or into a directory that is not empty, or into the live
     * pipeline's own state.
     */
    @Test
    void previewAndReplayRefuseBadUsageBeforeTheyConnect() throws IOException {
        Path config = config();
        String c = config.toString();
        String rules = dir.resolve("rules.yaml").toString();
        refused(
                "either --last or --from",
                "rules",
                "preview",
                "-c",
                c,
                "-r",
                rules,
                "--last",
                "5",
                "--from",
                "f.000001:4");
        refused("--to needs --from", "rules", "preview", "-c", c, "-r", rules, "--to", "f.000001:4");
        refused("text or json", "rules", "preview", "-c", c, "-r", rules, "-o", "yaml");
        refused("--from", "rules", "replay", "-c", c, "--into", dir.resolve("r").toString());
        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/x"), "x");
        refused(
                "is not empty",
                "rules",
                "replay",
                "-c",
                c,
                "--from",
                "f.000001:4",
                "--into",
                dir.resolve("full").toString());
        refused("own state directory", "rules", "replay", "-c", c, "--from", "f.000001:4", "--into", c);
        refused(
                "is not after --from 2026-12-07T10:00:00Z: the range is empty",
                "rules",
                "replay",
                "-c",
                c,
                "--from",
                "2026-12-07T10:00:00Z",
                "--to",
                "2026-12-07T10:00:00Z",
                "--into",
                dir.resolve("t").toString());
        refused(
                "not a binlog position",
                "rules",
                "preview",
                "-c",
                c,
                "-r",
                rules,
                "--from",
                "f.000001:4",
                "--to",
                "nowhere");
        Path sameName = Files.writeString(
                dir.resolve("same-name.yaml"), """
                name: p
                source: {host: db.invalid, user: cdc, server-id: 8, connect-timeout: 1s}
                sink: {type: file, path: %s}
                state: %s
                """.formatted(dir.resolve("other-out"), dir.resolve("other-state")));
        refused(
                "the live pipeline's name",
                "rules",
                "replay",
                "-c",
                c,
                "--from",
                "f.000001:4",
                "--into",
                sameName.toString());
        refused(
                "version number",
                "rules",
                "replay",
                "-c",
                c,
                "--from",
                "f.000001:4",
                "-r",
                "vx",
                "--into",
                dir.resolve("new").toString());
    }

    /** {@code sluice <args>} exits 2 with {@code expected} in its error. */
    private void refused(String expected, String... args) {
        assertThat(sluice(args)).as(err.toString()).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains(expected);
    }
}
