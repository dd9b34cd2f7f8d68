package io.sluice.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.app.http.HttpOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SluiceCliTest {
    static final String CONFIG = """
            name: %s
            source: {host: db, user: cdc, server-id: %d}
            sink: {type: stdout}
            """;

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Recording commands = new Recording();

    /** Records what the command line handed over. */
    static final class Recording implements Commands {
        final List<String> calls = new ArrayList<>();
        final List<PipelineConfig> received = new ArrayList<>();
        HttpOptions http;

        @Override
        public int run(List<PipelineConfig> configs, HttpOptions http) {
            calls.add("run");
            this.http = http;
            received.addAll(configs);
            return 0;
        }

        @Override
        public int check(List<PipelineConfig> configs) {
            calls.add("check");
            received.addAll(configs);
            return 0;
        }
    }

    int sluice(String... args) {
        CommandLine cli = SluiceCli.create(commands, new ConfigLoader(Map.of()), Map.of(), args); // as Main makes it
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void versionPrintsTheMavenProjectVersion() {
        assertThat(sluice("version")).isZero();
        assertThat(out.toString()).matches("sluice \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        assertThat(out.toString()).doesNotContain("${");
    }

    @Test
    void aCommandLineForOneCommandHoldsOnlyThatOneAndHelp() {
        ConfigLoader loader = new ConfigLoader(Map.of());
        assertThat(SluiceCli.create(commands, loader, "run", "--config", "x.yaml")
                        .getSubcommands())
                .containsOnlyKeys("run", "help");
        assertThat(SluiceCli.create(commands, loader, "schema", "list").getSubcommands())
                .containsOnlyKeys("schema", "help");
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "run"}, {"rnu"}}) {
            assertThat(SluiceCli.create(commands, loader, args).getSubcommands())
                    .containsOnlyKeys(
                            "help",
                            "version",
                            "run",
                            "check",
                            "tail",
                            "schema",
                            "rules",
                            "snapshot",
                            "position",
                            "status",
                            "pause",
                            "resume",
                            "restart");
        }
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(sluice("--help")).isZero();
        assertThat(out.toString()).contains("version", "run", "check", "tail", "schema", "snapshot");
    }

    @Test
    void versionOptionPrintsTheSameLine() {
        assertThat(sluice("--version")).isZero();
        assertThat(out.toString()).startsWith("sluice ");
    }

    @Test
    void runWithoutConfigIsAUsageError() {
        assertThat(sluice("run")).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString())
                .contains("no pipeline file: give -c/--config <file> or set SLUICE_CONFIG")
                .contains("Usage: sluice run");
        assertThat(commands.calls).isEmpty();
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(sluice()).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("a command is required");
    }

    @Test
    void badConfigPrintsOneErrorLineAndExits2() throws IOException {
        Path file = write("shop.yaml", CONFIG.formatted("shop", 7).replace("server-id: 7", "server-id: 7, port: abc"));
        assertThat(sluice("check", "--config", file.toString())).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("error: " + file + ": source.port: expected an integer from 1 to 65535, found \"abc\""
                        + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
        assertThat(commands.calls).isEmpty();
    }

    @Test
    void missingConfigFileIsAConfigError() {
        assertThat(sluice("run", "--config", dir.resolve("nope.yaml").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("error: ").contains("nope.yaml: no such file or directory");
    }

    @Test
    void directoryOfTwoConfigsPassesBothToRun() throws IOException {
        write("conf/a.yaml", CONFIG.formatted("a", 1));
        write("conf/b.yml", CONFIG.formatted("b", 2));
        assertThat(sluice("run", "--config", dir.resolve("conf").toString())).isZero();
        assertThat(commands.calls).containsExactly("run");
        assertThat(commands.received).extracting(PipelineConfig::name).containsExactly("a", "b");
    }

    @Test
    void httpOptionsDefaultToLoopbackOnPort7878() throws IOException {
        Path a = write("a.yaml", CONFIG.formatted("a", 1));
        assertThat(sluice("run", "--config", a.toString())).isZero();
        assertThat(commands.http.bind()).isEqualTo("127.0.0.1");
        assertThat(commands.http.port()).isEqualTo(7878);
    }

    @Test
    void httpOptionsArePassedToRun() throws IOException {
        Path a = write("a.yaml", CONFIG.formatted("a", 1));
        assertThat(sluice(
                        "run",
                        "--config",
                        a.toString(),
                        "--http-bind",
                        "0.0.0.0",
                        "--http-port",
                        "0",
                        "--http-token",
                        "s3cret"))
                .isZero();
        assertThat(commands.http).isEqualTo(new HttpOptions("0.0.0.0", 0, "s3cret"));
        assertThat(commands.http.toString()).doesNotContain("s3cret");
    }

    @Test
    void nonNumericHttpPortIsAUsageError() throws IOException {
        Path a = write("a.yaml", CONFIG.formatted("a", 1));
        assertThat(sluice("run", "--config", a.toString(), "--http-port", "web"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--http-port");
        assertThat(commands.calls).isEmpty();
    }

    @Test
    void repeatedConfigOptionsAreAllPassedToCheck() throws IOException {
        Path a = write("a.yaml", CONFIG.formatted("a", 1));
        Path b = write("b.yaml", CONFIG.formatted("b", 2));
        assertThat(sluice("check", "--config", a.toString(), "--config", b.toString()))
                .isZero();
        assertThat(commands.calls).containsExactly("check");
        assertThat(commands.received).extracting(PipelineConfig::name).containsExactly("a", "b");
    }

    @Test
    void unexpectedFailureIsAnErrorLineAndExit1() throws IOException {
        Path a = write("a.yaml", CONFIG.formatted("a", 1));
        Commands failing = new Commands() {
            @Override
            public int run(List<PipelineConfig> configs, HttpOptions http) {
                throw io.sluice.core.SluiceException.fatal("binlog position purged");
            }

            @Override
            public int check(List<PipelineConfig> configs) {
                return 0;
            }
        };
        CommandLine cli = SluiceCli.create(failing, new ConfigLoader(Map.of()));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("run", "--config", a.toString())).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("error: binlog position purged" + System.lineSeparator());
    }
}
