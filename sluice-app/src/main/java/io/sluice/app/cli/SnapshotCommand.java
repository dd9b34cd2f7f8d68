package io.sluice.app.cli;

import io.sluice.app.config.ConfigException;
import io.sluice.app.config.ConfigLoader;
import io.sluice.app.config.PipelineConfig;
import io.sluice.core.SluiceException;
import io.sluice.mysql.check.ErrorClassifier;
import io.sluice.mysql.snapshot.SignalTable;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.TableFilter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice snapshot}: asks a running pipeline to (re)load tables, by inserting a request row into its signal
 * table. The pipeline sees the row in the binlog and snapshots the tables in chunks while it keeps streaming;
 * the request is part of its checkpoint from then on, so it survives restarts. The same INSERT works from any SQL
 * client (see docs/snapshots.md).
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Asks a running pipeline to snapshot tables (op: r events) while it keeps streaming.")
final class SnapshotCommand implements Callable<Integer> {
    private final ConfigLoader loader;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "<file>", description = "The pipeline's file.")
    Path config;

    @Option(names = "--table", paramLabel = "<db.table>",
            description = "A captured table to snapshot (or cancel); repeatable.")
    List<String> tables = List.of();

    @Option(names = "--where", paramLabel = "<condition>",
            description = "Only rows meeting this SQL condition, e.g. \"created > '2024-01-01'\".")
    String where;

    @Option(names = "--cancel", description = "Cancels the tables' snapshots instead (queued or running).")
    boolean cancel;

    @Option(names = "--pause", description = "Pauses the pipeline's snapshots (no --table): no chunk is read until"
            + " --resume; streaming goes on.")
    boolean pause;

    @Option(names = "--resume", description = "Resumes the pipeline's paused snapshots (no --table).")
    boolean resume;

    SnapshotCommand(ConfigLoader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PipelineConfig pc = loader.load(config);
        MySqlSourceConfig source = pc.source();
        TableFilter filter = new TableFilter(source.include(), source.exclude());
        for (String t : tables) {
            int dot = t.indexOf('.');
            if (dot <= 0 || dot == t.length() - 1 || t.contains(",")) {
                throw new ConfigException("--table " + t + ": expected one table as db.table");
            }
            if (!filter.captures(t.substring(0, dot), t.substring(dot + 1))) {
                throw new ConfigException("--table " + t + ": pipeline " + pc.name() + " does not capture it"
                        + " (source.include " + source.include() + ", exclude " + source.exclude() + ")");
            }
        }
        if (cancel && where != null) {
            throw new ConfigException("--where applies to a snapshot request, not to --cancel");
        }
        if ((pause || resume) && (!tables.isEmpty() || cancel || where != null || pause == resume)) {
            throw new ConfigException("--pause and --resume stand alone: they apply to all of the pipeline's"
                    + " snapshots (give one of them, without --table, --where or --cancel)");
        }
        if (!pause && !resume && tables.isEmpty()) {
            throw new ConfigException("give at least one --table db.table (or --pause / --resume)");
        }
        String kind = pause ? SignalTable.PAUSE : resume ? SignalTable.RESUME
                : cancel ? SignalTable.CANCEL : SignalTable.SNAPSHOT;
        SignalTable signal = new SignalTable(source.snapshot());
        Properties p = new Properties();
        p.setProperty("user", source.user());
        p.setProperty("password", source.password() == null ? "" : source.password());
        try (Connection conn = DriverManager.getConnection(source.jdbcUrl(), p)) {
            signal.ensure(conn);
            String id = signal.request(conn, pc.name(), kind, tables.isEmpty() ? null : String.join(",", tables),
                    where);
            spec.commandLine().getOut().println(kind + " " + id + " requested"
                    + (tables.isEmpty() ? "" : " for " + String.join(", ", tables))
                    + (where == null ? "" : " where " + where) + " (pipeline "
                    + pc.name() + ", signal table " + source.snapshot().signalTable() + ")");
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        } catch (SQLException e) {
            SluiceException se = ErrorClassifier.classify(e, ErrorClassifier.Context.of(source));
            throw SluiceException.fatal("the snapshot request could not be written: " + se.getMessage(), e);
        }
    }
}
