package io.sluice.jdbc;

import io.sluice.core.sink.SinkFinding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code sluice check} of a JDBC sink's target: reachable, the login accepted, and the grants the sink needs to create
 * and write the target tables and the checkpoint table. Changes nothing: PostgreSQL's checks run the sink's own DDL and
 * writes in a transaction that is rolled back; the MySQL family, whose DDL would commit, reads the user's privileges
 * from {@code information_schema} (privileges reached only through a role are not seen: a note says so).
 */
final class TargetCheck {
    /** What stands for {@code {db}} and {@code {table}} in a LIKE pattern made of {@code sink.table}. */
    private static final String ANY = "{any}";
    /** Names of at most this many tables in one finding. */
    private static final int NAMED = 5;

    private final JdbcSinkConfig config;
    private final Dialect dialect;
    private final String user;

    TargetCheck(JdbcSinkConfig config) {
        this.config = config;
        this.dialect = Dialect.of(config.dialect());
        this.user = config.user().isEmpty() ? "the URL's user" : config.user();
    }

    List<SinkFinding> run() {
        Connection c;
        try {
            c = JdbcSink.connect(config, dialect);
        } catch (SQLException e) {
            return List.of(connectFailure(e));
        }
        try (c) {
            List<SinkFinding> out = new ArrayList<>(dialect.kind() == Dialect.Kind.POSTGRESQL ? postgres(c) : mysql(c));
            SinkFinding halt = halt(c);
            if (halt != null) {
                out.add(halt);
            }
            return out;
        } catch (SQLException e) {
            return List.of(SinkFinding.problem(
                    "checking the grants of " + user + " on " + config.url() + " failed: " + e.getMessage(),
                    "make sure " + user + " may read the catalog (information_schema) of the target database"));
        }
    }

    /** A schema halt recorded in the pipeline's row of the checkpoint table: every start halts until it is cleared. */
    private SinkFinding halt(Connection c) throws SQLException {
        CheckpointTable cp = new CheckpointTable(config.pipeline(), config.checkpointTable(), dialect);
        String halt = cp.readHalt(c);
        if (halt == null) {
            return null;
        }
        String table = SchemaHalt.tableOf(halt);
        return SinkFinding.problem(
                "pipeline " + config.pipeline() + " is halted, as recorded in the target's " + cp.qualified() + ": "
                        + halt,
                "make the target follow (the DDL above), or decide to go on without it, then sluice schema approve -c"
                        + " <the pipeline's file> --table " + (table == null ? "<db.table>" : table)
                        + " --version <its version, as sluice schema list shows it> (it clears the halt), or run on"
                        + " the target " + cp.clearStatement() + "; then start the pipeline again");
    }

    private SinkFinding connectFailure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        int code = e.getErrorCode();
        String msg = e.getMessage();
        if (state.startsWith("28") || code == 1045) {
            return SinkFinding.problem(
                    "the target " + config.url() + " refused the login of " + user + ": " + msg,
                    "correct sink.user and sink.password, or create the user on the target ("
                            + (dialect.kind() == Dialect.Kind.POSTGRESQL
                                    ? "CREATE USER " + config.user() + " PASSWORD '...'"
                                    : "CREATE USER '" + config.user() + "'@'%' IDENTIFIED BY '...'")
                            + ")");
        }
        if (state.equals("3D000") || code == 1049) {
            return SinkFinding.problem(
                    "the database of " + config.url() + " does not exist: " + msg,
                    "create it on the target (CREATE DATABASE ...) or correct the database in sink.url");
        }
        if (state.startsWith("08") || code == 0 || code == -1) {
            return SinkFinding.problem(
                    "the target " + config.url() + " cannot be reached: " + msg,
                    "start the target database, or correct the host and port in sink.url (and let this host"
                            + " through any firewall between)");
        }
        return SinkFinding.problem(
                "connecting to the target " + config.url() + " as " + user + " failed: " + msg + " (SQLState " + state
                        + ", error " + code + ")",
                "check sink.url, sink.user and sink.password");
    }

    // ---- PostgreSQL: try the sink's statements, roll them back ---------------------------------------------------

    private List<SinkFinding> postgres(Connection c) throws SQLException {
        List<SinkFinding> out = new ArrayList<>();
        String database = single(c, "SELECT current_database()");
        String login = single(c, "SELECT current_user");
        String current = single(c, "SELECT current_schema()");
        Tables tables = new Tables(config, dialect);
        try {
            CheckpointTable cp = new CheckpointTable(config.pipeline(), config.checkpointTable(), dialect);
            String cpSchema = schemaOf(config.checkpointTable(), current);
            if (!cp.exists(c)) {
                if (!attempt(c, List.of(cp.createSql()))) {
                    out.add(SinkFinding.problem(
                            login + " may not create the checkpoint table " + cp.qualified() + " in schema " + cpSchema,
                            "GRANT CREATE ON SCHEMA " + dialect.quote(cpSchema) + " TO " + login
                                    + "; or create it yourself: " + cp.createSql() + "; GRANT SELECT, INSERT, UPDATE"
                                    + " ON " + cp.qualified() + " TO " + login));
                }
            } else if (!"true"
                    .equals(single(
                            c,
                            "SELECT (" + allOf("q.r", List.of("SELECT", "INSERT", "UPDATE"))
                                    + ")::text FROM (SELECT to_regclass(?) AS r) q",
                            cp.qualified()))) {
                out.add(SinkFinding.problem(
                        login + " may not write the checkpoint table " + cp.qualified(),
                        "GRANT SELECT, INSERT, UPDATE ON " + cp.qualified() + " TO " + login));
            }
            if (schemaPart().contains("{db}")) {
                if (!attempt(c, List.of("CREATE SCHEMA " + dialect.quote("sluice_check_" + System.nanoTime())))) {
                    out.add(SinkFinding.problem(
                            login + " may not create schemas in database " + database + ", and sink.table "
                                    + config.tableTemplate() + " makes one per source database",
                            "GRANT CREATE ON DATABASE " + dialect.quote(database) + " TO " + login
                                    + "; or create each target schema yourself and GRANT CREATE ON SCHEMA <it> TO "
                                    + login));
                }
            } else {
                String[] probe = config.target("sluice_check", "sluice_check");
                String schema = probe[0] != null ? probe[0] : current;
                boolean exists = tables.schemaExists(c, schema);
                String table = dialect.qualified(schema, "sluice_check_" + System.nanoTime());
                List<String> sql = new ArrayList<>();
                if (!exists) {
                    sql.add("CREATE SCHEMA " + dialect.quote(schema));
                }
                sql.add("CREATE TABLE " + table + " (id INTEGER PRIMARY KEY, v TEXT)");
                sql.add("ALTER TABLE " + table + " ADD COLUMN w TEXT");
                sql.add("INSERT INTO " + table + " (id, v) VALUES (1, 'a') ON CONFLICT (id) DO UPDATE SET v = 'b'");
                sql.add("DELETE FROM " + table);
                if (!attempt(c, sql)) {
                    out.add(SinkFinding.problem(
                            login + " may not create and write tables in schema " + schema
                                    + (exists ? "" : ", which does not exist yet"),
                            exists
                                    ? "GRANT CREATE ON SCHEMA " + dialect.quote(schema) + " TO " + login
                                    : "GRANT CREATE ON DATABASE " + dialect.quote(database) + " TO " + login
                                            + " (Sluice creates the schema), or CREATE SCHEMA "
                                            + dialect.quote(schema) + " AUTHORIZATION " + login));
                }
            }
            unwritable(c, current, login, cp.qualified(), out);
        } finally {
            c.rollback();
        }
        return out;
    }

    /** Runs {@code sql} in a savepoint and rolls it back; false when the target refused a statement. */
    private static boolean attempt(Connection c, List<String> sql) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
            return true;
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (!state.startsWith("42")) {
                throw e;
            }
            return false;
        } finally {
            c.rollback(sp);
        }
    }

    /** Existing tables that look like targets ({@code sink.table} as a pattern) but the user may not write. */
    private void unwritable(Connection c, String current, String login, String checkpointTable, List<SinkFinding> out)
            throws SQLException {
        List<String> privileges = config.truncateMode() == JdbcSinkConfig.TruncateMode.TRUNCATE
                ? List.of("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
                : List.of("SELECT", "INSERT", "UPDATE", "DELETE");
        String[] pattern = config.target(ANY, ANY);
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname || '.' || t.relname FROM pg_class t JOIN"
                + " pg_namespace n ON n.oid = t.relnamespace WHERE t.relkind IN ('r', 'p') AND n.nspname NOT IN"
                + " ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname LIKE ? AND"
                + " t.relname LIKE ? AND NOT (" + allOf("t.oid", privileges) + ") AND t.oid <>"
                + " COALESCE(to_regclass(?)::oid, 0) ORDER BY 1")) {
            ps.setString(1, pattern[0] == null ? like(current) : like(pattern[0]));
            ps.setString(2, like(pattern[1]));
            ps.setString(3, checkpointTable);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        if (names.isEmpty()) {
            return;
        }
        String shown = String.join(", ", names.subList(0, Math.min(NAMED, names.size())))
                + (names.size() > NAMED ? " and " + (names.size() - NAMED) + " more" : "");
        out.add(SinkFinding.problem(
                login + " may not write the existing target tables " + shown,
                "GRANT " + String.join(", ", privileges) + " ON <each table> TO " + login
                        + " (or ON ALL TABLES IN SCHEMA <schema>)"));
    }

    /** SQL true when the user holds every one of {@code privileges} on {@code table} (one privilege per test). */
    private static String allOf(String table, List<String> privileges) {
        List<String> tests = new ArrayList<>();
        for (String p : privileges) {
            tests.add("has_table_privilege(" + table + ", '" + p + "')");
        }
        return String.join(" AND ", tests);
    }

    /** A template's part as a LIKE pattern: {@link #ANY} matches anything, the rest is literal. */
    private static String like(String part) {
        return part.replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_")
                .replace(ANY, "%");
    }

    private String schemaPart() {
        String t = config.tableTemplate();
        int dot = t.indexOf('.');
        return dot < 0 ? "" : t.substring(0, dot);
    }

    private static String schemaOf(String qualifiedName, String current) {
        int dot = qualifiedName.indexOf('.');
        return dot < 0 ? current : qualifiedName.substring(0, dot);
    }

    private static String single(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    // ---- MySQL family: the user's privileges from information_schema ---------------------------------------------

    private static final String GRANTEE = "CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''',"
            + " SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')";

    private List<SinkFinding> mysql(Connection c) throws SQLException {
        List<SinkFinding> out = new ArrayList<>();
        String login = single(c, "SELECT CURRENT_USER()");
        String current = single(c, "SELECT DATABASE()");
        String cpDb = schemaOf(config.checkpointTable(), current);
        if (cpDb == null) {
            out.add(SinkFinding.problem(
                    "sink.url names no database, and sink.checkpoint-table " + config.checkpointTable()
                            + " none either: the checkpoint table has no database",
                    "put the database in sink.url (jdbc:mariadb://host:3306/sluice) or write sink.checkpoint-table:"
                            + " <db>.sluice_checkpoint"));
        } else {
            String cpTable =
                    config.checkpointTable().substring(config.checkpointTable().indexOf('.') + 1);
            Set<String> missing = missing(c, cpDb, cpTable, List.of("CREATE", "SELECT", "INSERT", "UPDATE"));
            if (!missing.isEmpty()) {
                out.add(SinkFinding.problem(
                        login + " lacks " + String.join(", ", missing) + " on " + dialect.quote(cpDb)
                                + " for the checkpoint table " + config.checkpointTable(),
                        "GRANT CREATE, SELECT, INSERT, UPDATE ON " + dialect.quote(cpDb) + ".* TO "
                                + quotedUser(login)));
            }
        }
        List<String> needed = List.of("CREATE", "ALTER", "SELECT", "INSERT", "UPDATE", "DELETE");
        if (schemaPart().contains("{db}")) {
            List<String> unknown = new ArrayList<>();
            for (String p : needed) {
                if (!global(c).contains(p)) {
                    unknown.add(p);
                }
            }
            if (!unknown.isEmpty()) {
                out.add(SinkFinding.note(
                        "sink.table " + config.tableTemplate() + " makes a target database per source database,"
                                + " which this check cannot name; " + login + " has no global "
                                + String.join(", ", unknown) + ".",
                        "Make sure each target database grants it: GRANT CREATE, ALTER, SELECT, INSERT, UPDATE,"
                                + " DELETE ON <db>.* TO " + quotedUser(login)));
            }
        } else {
            String[] probe = config.target("sluice_check", "sluice_check");
            String db = probe[0] != null ? probe[0] : current;
            if (db != null) {
                Set<String> missing = missing(c, db, null, needed);
                if (!missing.isEmpty()) {
                    out.add(SinkFinding.problem(
                            login + " lacks " + String.join(", ", missing) + " on " + dialect.quote(db)
                                    + " for the target tables",
                            "GRANT CREATE, ALTER, SELECT, INSERT, UPDATE, DELETE ON " + dialect.quote(db) + ".* TO "
                                    + quotedUser(login)));
                }
            }
        }
        if (!out.isEmpty() && hasRoles(c)) {
            out.add(SinkFinding.note(
                    login + " has roles: privileges reached through a role are not seen by this check.",
                    "If the role grants them (and is the default role), the findings above do not apply."));
        }
        return out;
    }

    /** Privileges of {@code wanted} the current user holds neither globally, nor on {@code db}, nor on the table. */
    private Set<String> missing(Connection c, String db, String table, List<String> wanted) throws SQLException {
        Set<String> held = new LinkedHashSet<>(global(c));
        try (PreparedStatement ps = c.prepareStatement("SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES"
                + " WHERE GRANTEE = " + GRANTEE + " AND ? LIKE TABLE_SCHEMA")) {
            ps.setString(1, db);
            read(ps, held);
        }
        if (table != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT PRIVILEGE_TYPE FROM"
                    + " information_schema.TABLE_PRIVILEGES WHERE GRANTEE = " + GRANTEE + " AND TABLE_SCHEMA = ? AND"
                    + " TABLE_NAME = ?")) {
                ps.setString(1, db);
                ps.setString(2, table);
                read(ps, held);
            }
        }
        Set<String> missing = new LinkedHashSet<>();
        for (String p : wanted) {
            if (!held.contains(p)) {
                missing.add(p);
            }
        }
        return missing;
    }

    private Set<String> global(Connection c) throws SQLException {
        Set<String> held = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = " + GRANTEE)) {
            read(ps, held);
        }
        return held;
    }

    private static void read(PreparedStatement ps, Set<String> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(rs.getString(1).toUpperCase(Locale.ROOT));
            }
        }
    }

    private static boolean hasRoles(Connection c) {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*) FROM information_schema.APPLICABLE_ROLES WHERE GRANTEE = " + GRANTEE)) {
            return rs.next() && rs.getLong(1) > 0;
        } catch (SQLException e) {
            return false;
        }
    }

    /** {@code user@host} as a GRANT names it: {@code 'user'@'host'}. */
    private static String quotedUser(String login) {
        int at = login.lastIndexOf('@');
        return at < 0 ? "'" + login + "'" : "'" + login.substring(0, at) + "'@'" + login.substring(at + 1) + "'";
    }
}
