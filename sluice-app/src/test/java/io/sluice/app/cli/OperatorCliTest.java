package io.sluice.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.sinkspi.CollectingSinkProvider;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.CheckpointCodec;
import io.sluice.core.checkpoint.ServerIdentity;
import io.sluice.core.checkpoint.TableVersion;
import io.sluice.core.state.DirectoryLock;
import io.sluice.mysql.schema.Approvals;
import io.sluice.mysql.schema.ColumnModel;
import io.sluice.mysql.schema.SchemaHistory;
import io.sluice.mysql.schema.SchemaVersion;
import io.sluice.mysql.schema.TableModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The operator's commands run in-process on real files: help on every command of the tree, {@code -c} and {@code
 * SLUICE_CONFIG}, {@code -o json|table}, approve's and snapshot's refusals with their exit codes, and {@code
 * position show|set} on a file sink's checkpoint (what needs a server or a running process is in OperatorCliIT).
 */
class OperatorCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    final SluiceCliTest.Recording commands = new SluiceCliTest.Recording();

    int sluice(Map<String, String> env, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = SluiceCli.create(commands, new ConfigLoader(Map.of()), env, args);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    int sluice(String... args) {
        return sluice(Map.of(), args);
    }

    Path config(String name) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                source: {host: db.invalid, user: cdc, server-id: 7, connect-timeout: 1s}
                sink: {type: file, path: %s}
                state: %s
                """.formatted(
                        name, dir.resolve(name + "-out"), dir.resolve(name + "-state")));
    }

    @Test
    void positionShowAndSetOfAJdbcPipelineWhoseTargetIsUnreachableSayWhereAndLockNothing() throws IOException {
        Path jdbc = Files.writeString(dir.resolve("j.yaml"), """
                name: j
                source: {host: db.invalid, user: cdc, server-id: 7}
                sink: {type: jdbc, url: 'jdbc:postgresql://pg.invalid/shop'}
                state: %s
                """.formatted(dir.resolve("j-state")));
        for (String[] args : List.of(
                new String[] {"position", "show", "-c", jdbc.toString()},
                new String[] {"position", "set", "-c", jdbc.toString(), "--snapshot", "-y"})) {
            err.getBuffer().setLength(0);
            assertThat(sluice(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.FAILURE);
            assertThat(err.toString())
                    .as(String.join(" ", args))
                    .contains("cannot read the checkpoint of pipeline j in the target's table sluice_checkpoint")
                    .contains("pg.invalid");
            assertThat(DirectoryLock.holder(dir.resolve("j-state"))).isEmpty();
        }
    }

    @Test
    void approvingATableClearsTheHaltTheSinkRecordedForIt() throws IOException {
        Path c = Files.writeString(dir.resolve("h.yaml"), """
                name: h
                source: {host: db.invalid, user: cdc, server-id: 7}
                sink: {type: collect, label: cli-halt}
                state: %s
                """.formatted(dir.resolve("h-state")));
        CollectingSinkProvider.halt("cli-halt", "a.b");
        String[] approve = {"schema", "approve", "-c", c.toString(), "--table", "a.b", "--version", "2"};
        assertThat(sluice(concat(approve))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("approved version 2 of a.b").contains("cleared the halt of a.b");
        assertThat(CollectingSinkProvider.halted("cli-halt")).isFalse();
        // approved already and nothing halted: nothing to do
        assertThat(sluice(concat(approve))).isEqualTo(ExitCodes.NOTHING_TO_DO);
        // approved already, but the sink halted again for it (a change the source's policy lets through): cleared
        CollectingSinkProvider.halt("cli-halt", "a.b");
        assertThat(sluice(concat(approve))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("cleared the halt of a.b");
        // a halt of another table stays
        CollectingSinkProvider.halt("cli-halt", "a.other");
        assertThat(sluice(concat(approve))).isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(CollectingSinkProvider.halted("cli-halt")).isTrue();
    }

    /** Every command path of the full tree, e.g. [schema, show]. */
    private static List<List<String>> commandPaths(CommandLine cli, List<String> prefix) {
        List<List<String>> out = new ArrayList<>();
        cli.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            out.add(path);
            out.addAll(commandPaths(sub, path));
        });
        return out;
    }

    @Test
    void everyCommandAndSubcommandPrintsItsHelpWithHOrHelpAndExits0() {
        List<List<String>> paths =
                commandPaths(SluiceCli.create(commands, new ConfigLoader(Map.of()), Map.of()), List.of());
        assertThat(paths)
                .contains(
                        List.of("version"),
                        List.of("schema", "show"),
                        List.of("schema", "approve"),
                        List.of("position", "set"),
                        List.of("restart"));
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                assertThat(sluice(args.toArray(String[]::new)))
                        .as("sluice %s: %s", args, err)
                        .isZero();
                assertThat(out.toString()).as("sluice %s", args).startsWith("Usage: sluice " + String.join(" ", path));
            }
        }
        assertThat(commands.calls).isEmpty();
    }

    @Test
    void cIsShortForConfigAndSluiceConfigIsItsDefault() throws IOException {
        Path a = config("a");
        assertThat(sluice("check", "-c", a.toString())).isZero();
        assertThat(sluice(Map.of("SLUICE_CONFIG", a.toString()), "run")).isZero();
        assertThat(commands.calls).containsExactly("check", "run");
        assertThat(commands.received).extracting(c -> c.name()).containsExactly("a", "a");
        assertThat(sluice(Map.of("SLUICE_CONFIG", a.toString()), "schema", "list", "-o", "json"))
                .isZero();
    }

    @Test
    void aConnectorsStateNeedsAllThreeOptionsAndNoPipelineFileBeside() throws IOException {
        Path a = config("a");
        String[] approve = {"schema", "approve", "--table", "a.b", "--version", "2"};
        assertThat(sluice(concat(approve, "--connect-state", "k1:9092", "--connector", "shop")))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("--connect-state", "--state-topic", "--connector", "halt message");
        assertThat(sluice(concat(approve, "--state-topic", "shop.sluice-state")))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(sluice(concat(
                        approve,
                        "-c",
                        a.toString(),
                        "--connect-state",
                        "k1:9092",
                        "--state-topic",
                        "shop.sluice-state",
                        "--connector",
                        "shop")))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("not both");
        assertThat(sluice("schema", "list", "--connect-state", "k1:9092")).isEqualTo(ExitCodes.CONFIG);
        assertThat(sluice("schema", "diff", "--connect-state", "k1:9092", "--table", "a.b"))
                .as("diff works on a pipeline file only")
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("--connect-state");
        assertThat(commands.calls).isEmpty();
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
                .toArray(String[]::new);
    }

    @Test
    void neitherCNorSluiceConfigIsAUsageErrorThatSaysBoth() {
        for (String[] args : new String[][] {
            {"run"}, {"check"}, {"schema", "list"}, {"position", "show"}, {"snapshot", "--table", "a.b"}, {"tail"}
        }) {
            assertThat(sluice(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.CONFIG);
            assertThat(err.toString()).contains("no pipeline file: give -c/--config <file> or set SLUICE_CONFIG");
        }
        assertThat(commands.calls).isEmpty();
    }

    /** A shop.orders table of int columns keyed by id (also used by RulesCommandTest). */
    static TableModel model(String... columns) {
        return new TableModel(
                "shop",
                "orders",
                Arrays.stream(columns)
                        .map(c -> new ColumnModel(c, "int", null, null, false, null, null, false, false, null, null))
                        .toList(),
                List.of("id"),
                List.of(),
                null);
    }

    private SchemaHistory history(Path config) {
        SchemaHistory h = SchemaHistory.open(
                dir.resolve(Path.of(config.getFileName().toString().replace(".yaml", "-state"))));
        h.append(new SchemaVersion(
                "shop.orders", 1, "mysql-bin.000001", 4, null, SchemaVersion.TABLE_MAP, model("id", "a"), List.of()));
        h.append(new SchemaVersion(
                "shop.orders",
                2,
                "mysql-bin.000001",
                900,
                "ALTER TABLE orders\n  DROP a",
                SchemaVersion.DDL,
                model("id"),
                List.of("backward: column a dropped")));
        return h;
    }

    @Test
    void schemaListPrintsAnAlignedTableWithAHeaderOrJson() throws IOException {
        Path c = config("shop");
        history(c);
        assertThat(sluice("schema", "list", "-c", c.toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0))
                .startsWith("TABLE        VERSION  FILE              POS  ORIGIN     COLUMNS"
                        + "  BREAKING                    APPROVED  DDL");
        assertThat(lines.get(2))
                .startsWith("shop.orders  2        mysql-bin.000001  900  ddl        1      "
                        + "  backward: column a dropped  false     ALTER TABLE orders DROP a");
        int approved = lines.get(0).indexOf("APPROVED");
        assertThat(lines.get(1).substring(approved)).startsWith("-");

        assertThat(sluice("schema", "list", "-c", c.toString(), "-o", "json")).isZero();
        JsonNode rows = JSON.readTree(out.toString());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("table").asText()).isEqualTo("shop.orders");
        assertThat(rows.get(1).get("version").asInt()).isEqualTo(2);
        assertThat(rows.get(1).get("pos").asLong()).isEqualTo(900);
        assertThat(rows.get(1).get("breaking").get(0).asText()).isEqualTo("backward: column a dropped");
        assertThat(rows.get(1).get("approved").asBoolean()).isFalse();
        assertThat(rows.get(0).get("approved").isNull()).isTrue();
        assertThat(rows.get(0).get("ddl").isNull()).isTrue();

        assertThat(sluice("schema", "list", "-c", c.toString(), "-o", "yaml")).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("TABLE, JSON");
    }

    @Test
    void approvingANonBreakingOrAnApprovedVersionSaysSoAndExits5() throws IOException {
        Path c = config("shop");
        history(c);
        assertThat(sluice("schema", "approve", "-c", c.toString(), "--table", "shop.orders", "--version", "1"))
                .isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(err.toString()).contains("version 1 of shop.orders is not breaking");

        assertThat(sluice("schema", "approve", "-c", c.toString(), "--table", "shop.orders", "--version", "2"))
                .isZero();
        assertThat(out.toString())
                .contains("approved version 2 of shop.orders")
                .contains("sluice restart --pipeline shop")
                .doesNotContain("restart the pipeline");

        assertThat(sluice("schema", "approve", "-c", c.toString(), "--table", "shop.orders", "--version", "2"))
                .isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(err.toString()).contains("version 2 of shop.orders is approved already");
        assertThat(new Approvals(dir.resolve("shop-state")).all()).hasSize(1);

        assertThat(sluice("schema", "approve", "-c", c.toString(), "--at", "mysql-bin.000002:77"))
                .isZero();
        assertThat(sluice("schema", "approve", "-c", c.toString(), "--at", "mysql-bin.000002:77"))
                .isEqualTo(ExitCodes.NOTHING_TO_DO);
        assertThat(new Approvals(dir.resolve("shop-state")).all()).hasSize(2);
    }

    @Test
    void snapshotForAPipelineThatIsNotRunningSaysSoAndExits3() throws IOException {
        Path c = config("ghost");
        assertThat(sluice("snapshot", "-c", c.toString(), "--table", "shop.orders"))
                .isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(err.toString()).contains("pipeline ghost is not running").contains("sluice run -c " + c);
    }

    /** A file sink's state document as the sink writes it, with this checkpoint. */
    private Path checkpoint(String name, Checkpoint cp) throws IOException {
        Path state = Files.createDirectories(dir.resolve(name + "-state"));
        var doc = CheckpointCodec.mapper().createObjectNode();
        doc.put("format", 1);
        doc.put("sink", "file");
        doc.put("segment", "00000000000000000000.jsonl");
        doc.put("length", 1234L);
        doc.set("checkpoint", CheckpointCodec.toJson(cp));
        return Files.write(state.resolve("checkpoint.json"), CheckpointCodec.toBytes(doc));
    }

    @Test
    void positionShowPrintsTheCheckpointAsTableOrJson() throws IOException {
        Path c = config("shop");
        checkpoint(
                "shop",
                new Checkpoint(
                        new BinlogPosition("mysql-bin.000003", 4711, "0-1-42"),
                        List.of(),
                        Map.of("shop.orders", new TableVersion(2, "f")),
                        null,
                        null,
                        new ServerIdentity(1, null)));
        assertThat(sluice("position", "show", "-c", c.toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0))
                .isEqualTo("PIPELINE  FILE              POS   GTIDS   SERVER       HELD XA  SNAPSHOT" + "  RUNNING");
        assertThat(lines.get(1))
                .isEqualTo("shop      mysql-bin.000003  4711  0-1-42  server_id 1  0        false" + "     false");

        assertThat(sluice("position", "show", "-c", c.toString(), "-o", "json")).isZero();
        JsonNode p = JSON.readTree(out.toString()).get(0);
        assertThat(p.get("file").asText()).isEqualTo("mysql-bin.000003");
        assertThat(p.get("pos").asLong()).isEqualTo(4711);
        assertThat(p.get("gtids").asText()).isEqualTo("0-1-42");
        assertThat(p.get("server").get("serverId").asLong()).isEqualTo(1);
        assertThat(p.get("running").asBoolean()).isFalse();

        try (DirectoryLock running = DirectoryLock.acquire(dir.resolve("shop-state"), "state", "sluice run")) {
            assertThat(sluice("position", "show", "-c", c.toString(), "-o", "json"))
                    .isZero();
            assertThat(JSON.readTree(out.toString()).get(0).get("running").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void positionSetRefusesWhileThePipelineRunsAndLeavesTheCheckpoint() throws IOException {
        Path c = config("shop");
        Path doc = checkpoint(
                "shop", new Checkpoint(new BinlogPosition("mysql-bin.000003", 4711, null), List.of(), Map.of()));
        byte[] before = Files.readAllBytes(doc);
        try (DirectoryLock running = DirectoryLock.acquire(dir.resolve("shop-state"), "state", "sluice run")) {
            assertThat(sluice(
                            "position", "set", "-c", c.toString(), "--file", "mysql-bin.000002", "--pos", "4", "--yes"))
                    .isEqualTo(ExitCodes.RUNNING);
        }
        assertThat(err.toString()).contains("pipeline shop is running").contains("Stop it first");
        assertThat(Files.readAllBytes(doc)).isEqualTo(before);
        try (var files = Files.list(doc.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.contains(".bak"));
        }
    }

    @Test
    void positionSetNeedsEitherFileAndPosOrSnapshot() throws IOException {
        Path c = config("shop");
        for (String[] args : new String[][] {
            {}, {"--file", "b.000001"}, {"--snapshot", "--pos", "4"}, {"--gtid", "0-1-5", "--snapshot"}
        }) {
            List<String> all = new ArrayList<>(List.of("position", "set", "-c", c.toString()));
            all.addAll(List.of(args));
            assertThat(sluice(all.toArray(String[]::new))).isEqualTo(ExitCodes.CONFIG);
            assertThat(err.toString()).contains("give --file with --pos, or --gtid, or --snapshot");
        }
    }

    @Test
    void positionSetGtidTakesAMariaDbSetAndLeavesTheCheckpointOtherwise() throws IOException {
        Path c = config("shop");
        Path doc = checkpoint(
                "shop", new Checkpoint(new BinlogPosition("mysql-bin.000003", 4711, null), List.of(), Map.of()));
        byte[] before = Files.readAllBytes(doc);
        assertThat(sluice(
                        "position",
                        "set",
                        "-c",
                        c.toString(),
                        "--gtid",
                        "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-77",
                        "--yes"))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString())
                .contains("--gtid: 3E11FA47-71CA-11E1-9E33-C80AA9429562:1-77 is not a MariaDB GTID set")
                .contains("on MySQL give --file with --pos");
        assertThat(Files.readAllBytes(doc)).isEqualTo(before);
    }

    @Test
    void positionSetWithoutACheckpointPointsToSourceStart() throws IOException {
        Path c = config("fresh");
        assertThat(sluice("position", "set", "-c", c.toString(), "--file", "b.000001", "--pos", "4", "--yes"))
                .isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("has no checkpoint yet").contains("start: {file: b.000001, pos: 4}");
    }

    /** The listings: each command path, with the header its table starts with. */
    private static final List<List<String>> LISTINGS = List.of(
            List.of("schema list", "TABLE        VERSION  FILE"),
            List.of("position show", "PIPELINE  FILE"),
            List.of("rules list", "VERSION  TIME"),
            List.of("status", "PIPELINE"));

    @Test
    void everyListingTakesOTableOrJsonAndRefusesAnyOtherFormatWithExit2() throws IOException {
        Path c = config("shop");
        Files.writeString(dir.resolve("rules.yaml"), RulesCommandTest.rules("id"));
        Files.writeString(c, Files.readString(c) + "rules: rules.yaml\n");
        history(c);
        checkpoint("shop", new Checkpoint(new BinlogPosition("mysql-bin.000003", 4711, null), List.of(), Map.of()));
        assertThat(sluice("rules", "deploy", "-c", c.toString(), "-m", "first"))
                .as(err.toString())
                .isZero();
        // nothing listens here: status parses -o, then says the process is not running
        String nobody = "http://127.0.0.1:9";

        // every command of the tree that lists (named list, or with -o at all) is one of these
        List<String> withO =
                commandPaths(SluiceCli.create(commands, new ConfigLoader(Map.of()), Map.of()), List.of()).stream()
                        .filter(path -> {
                            CommandLine cli = SluiceCli.create(commands, new ConfigLoader(Map.of()), Map.of());
                            for (String name : path) {
                                cli = cli.getSubcommands().get(name);
                            }
                            return path.get(path.size() - 1).equals("list")
                                    || cli.getCommandSpec().findOption("-o") != null;
                        })
                        .map(path -> String.join(" ", path))
                        .toList();
        // rules preview's -o is text|json (a stream of events, not a listing: RulesCommandTest)
        assertThat(withO)
                .containsExactlyInAnyOrder("schema list", "position show", "rules list", "status", "rules preview");

        for (List<String> listing : LISTINGS) {
            List<String> args = new ArrayList<>(List.of(listing.get(0).split(" ")));
            args.addAll(listing.get(0).equals("status") ? List.of("--url", nobody) : List.of("-c", c.toString()));
            int expected = listing.get(0).equals("status") ? ExitCodes.NOT_RUNNING : ExitCodes.OK;
            for (String format : List.of("table", "TABLE", "json")) {
                List<String> run = new ArrayList<>(args);
                run.addAll(List.of("-o", format));
                assertThat(sluice(run.toArray(String[]::new)))
                        .as("sluice %s: %s", run, err)
                        .isEqualTo(expected);
                if (expected != ExitCodes.OK) {
                    assertThat(err.toString()).as("sluice %s", run).contains("no Sluice process answers at " + nobody);
                } else if (format.equals("json")) {
                    JsonNode rows = JSON.readTree(out.toString());
                    assertThat(rows.isArray()).as("sluice %s", run).isTrue();
                    assertThat(rows.get(0).isObject()).as("sluice %s", run).isTrue();
                } else {
                    assertThat(out.toString()).as("sluice %s", run).startsWith(listing.get(1));
                }
            }
            List<String> yaml = new ArrayList<>(args);
            yaml.addAll(List.of("--output", "yaml"));
            assertThat(sluice(yaml.toArray(String[]::new)))
                    .as("sluice %s", yaml)
                    .isEqualTo(ExitCodes.CONFIG);
            assertThat(err.toString()).as("sluice %s", yaml).contains("TABLE, JSON");
        }
    }
}
