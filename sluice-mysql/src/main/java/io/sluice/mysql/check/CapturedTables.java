package io.sluice.mysql.check;

import io.sluice.core.NearNames;
import io.sluice.mysql.server.Finding;
import io.sluice.mysql.server.Finding.Kind;
import io.sluice.mysql.source.MySqlSourceConfig;
import io.sluice.mysql.source.TableFilter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tables {@code source.include} and {@code source.exclude} select, against the tables the server shows the
 * user. A glob that matches no table is named with the nearest names the server has (a typo is the usual cause),
 * and the databases whose captured tables the user cannot SELECT get their GRANT.
 *
 * <p>The server shows a user only the tables it holds some privilege on. Without a global SELECT, a glob that
 * matches nothing visible may name tables that exist but are hidden; the finding then says both ways out.
 */
final class CapturedTables {
    private static final Set<String> SYSTEM_DBS = Set.of("mysql", "information_schema", "performance_schema", "sys");

    /** The non-system databases and tables (views left out: they have no rows in the binlog) the user can see. */
    private final Map<String, List<String>> tablesByDb = new TreeMap<>();

    private final Grants grants;
    private final String account;
    private final boolean seesAll;

    private CapturedTables(Grants grants, String account) {
        this.grants = grants;
        this.account = account;
        this.seesAll = grants.hasGlobal("SELECT");
    }

    /**
     * Checks the include and exclude globs, and for a pipeline about to take its initial snapshot
     * ({@code initialSnapshot}), the {@code snapshot.tables} globs among the captured tables.
     */
    static void check(
            Connection c,
            Grants grants,
            MySqlSourceConfig config,
            String account,
            boolean initialSnapshot,
            List<Finding> out)
            throws SQLException {
        CapturedTables t = new CapturedTables(grants, account);
        if (config.include().isEmpty()) {
            if (!t.seesAll) {
                out.add(new Finding(
                        Kind.SELECT,
                        "User " + account + " lacks SELECT ON *.*, and source.include is"
                                + " empty so every database is captured.",
                        "GRANT SELECT ON *.* TO " + account + "; (or list"
                                + " the captured tables in source.include)"));
            }
        } else {
            t.read(c);
            t.check(config, out);
        }
        if (initialSnapshot && !config.snapshot().tables().isEmpty()) {
            if (t.tablesByDb.isEmpty()) {
                t.read(c);
            }
            t.checkSnapshotTables(config, out);
        }
    }

    /** {@code snapshot.tables} that select no captured table make {@code start: snapshot} read nothing. */
    private void checkSnapshotTables(MySqlSourceConfig config, List<Finding> out) {
        List<String> exclude = new ArrayList<>(config.exclude());
        exclude.add(config.snapshot().signalTable());
        TableFilter captured = new TableFilter(config.include(), exclude);
        TableFilter snapshot = new TableFilter(config.snapshot().tables(), List.of());
        boolean any = tablesByDb.entrySet().stream()
                .anyMatch(e -> e.getValue().stream()
                        .anyMatch(t -> captured.captures(e.getKey(), t) && snapshot.captures(e.getKey(), t)));
        if (!any) {
            out.add(new Finding(
                    Kind.INCLUDE_MATCHES_NOTHING,
                    "snapshot.tables " + config.snapshot().tables()
                            + " matches no captured table that user " + account
                            + " can see: the initial snapshot (start:"
                            + " snapshot) would read nothing.",
                    "correct snapshot.tables (it selects among the tables of"
                            + " source.include), or leave it empty to snapshot every captured table"));
        }
    }

    private void read(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")) {
            while (rs.next()) {
                if (!SYSTEM_DBS.contains(rs.getString(1).toLowerCase(Locale.ROOT))) {
                    tablesByDb.put(rs.getString(1), new ArrayList<>());
                }
            }
        }
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES"
                        + " WHERE TABLE_TYPE <> 'VIEW' ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            while (rs.next()) {
                List<String> tables = tablesByDb.get(rs.getString(1));
                if (tables != null) {
                    tables.add(rs.getString(2));
                }
            }
        }
    }

    private void check(MySqlSourceConfig config, List<Finding> out) {
        Set<String> lacking = new LinkedHashSet<>();
        boolean everyGlobMatches = true;
        for (String glob : config.include()) {
            TableFilter one = new TableFilter(List.of(glob), List.of());
            boolean any = false;
            for (Map.Entry<String, List<String>> e : tablesByDb.entrySet()) {
                for (String table : e.getValue()) {
                    if (one.captures(e.getKey(), table)) {
                        any = true;
                        if (!seesAll && !grants.canSelect(e.getKey(), table)) {
                            lacking.add(e.getKey());
                        }
                    }
                }
            }
            if (!any) {
                everyGlobMatches = false;
                out.add(matchesNothing(glob));
            }
        }
        List<String> exclude = new ArrayList<>(config.exclude());
        exclude.add(config.snapshot().signalTable());
        TableFilter captured = new TableFilter(config.include(), exclude);
        if (everyGlobMatches
                && tablesByDb.entrySet().stream()
                        .noneMatch(e -> e.getValue().stream().anyMatch(t -> captured.captures(e.getKey(), t)))) {
            out.add(new Finding(
                    Kind.INCLUDE_MATCHES_NOTHING,
                    "source.include " + config.include() + " matches only"
                            + " tables that source.exclude " + config.exclude()
                            + " (or the snapshot signal table) leaves out:"
                            + " the pipeline would capture no table.",
                    "narrow source.exclude, or widen source.include"));
        }
        for (String db : lacking) {
            out.add(new Finding(
                    Kind.SELECT,
                    "User " + account + " lacks SELECT on database " + db
                            + ": it cannot snapshot or describe its tables.",
                    "GRANT SELECT ON `" + db.replace("`", "``") + "`.* TO " + account + ";"));
        }
    }

    /** The finding for a glob that matches no table the user can see. */
    private Finding matchesNothing(String glob) {
        int dot = glob.indexOf('.');
        String dbGlob = glob.substring(0, dot);
        String tableGlob = glob.substring(dot + 1);
        List<String> near = nearNames(dbGlob, tableGlob);
        String didYouMean = near.isEmpty()
                ? ""
                : " (did you mean "
                        + String.join(
                                " or ", near.stream().map(n -> "'" + n + "'").toList()) + "?)";
        boolean authoritative =
                seesAll || !hasWildcard(dbGlob) && grants.canSelect(dbGlob, hasWildcard(tableGlob) ? null : tableGlob);
        if (authoritative) {
            return new Finding(
                    Kind.INCLUDE_MATCHES_NOTHING,
                    "source.include '" + glob + "' matches no table on the"
                            + " server"
                            + (matchingDbs(dbGlob).isEmpty() ? " (no database matches '" + dbGlob + "')" : "")
                            + ": nothing of it would be captured.",
                    near.isEmpty()
                            ? "correct the glob or remove it (or create its tables first)"
                            : "correct the glob" + didYouMean);
        }
        String grant = "GRANT SELECT ON `" + (hasWildcard(dbGlob) ? globToLike(dbGlob) : dbGlob.replace("`", "``"))
                + "`.* TO " + account + ";";
        String hidden = "source.include '" + glob + "' matches no table that user " + account + " can see: either"
                + " there is no such table, or the user lacks SELECT on it (the server hides tables a user has no"
                + " privilege on).";
        return near.isEmpty()
                ? new Finding(Kind.SELECT, hidden, grant + " (or correct source.include if there is no such table)")
                : new Finding(
                        Kind.INCLUDE_MATCHES_NOTHING,
                        hidden,
                        "if the glob is misspelt, correct it" + didYouMean + "; if its tables exist, " + grant);
    }

    /**
     * Near names for a glob that matched nothing: databases near its database part when none matches it, else
     * tables near its table part in the databases that match; none for a part with wildcards.
     */
    private List<String> nearNames(String dbGlob, String tableGlob) {
        List<String> dbs = matchingDbs(dbGlob);
        if (dbs.isEmpty()) {
            return hasWildcard(dbGlob)
                    ? List.of()
                    : NearNames.near(dbGlob, tablesByDb.keySet(), NearNames.allowance(dbGlob), 3).stream()
                            .map(db -> db + "." + tableGlob)
                            .toList();
        }
        if (hasWildcard(tableGlob)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String db : dbs) {
            NearNames.near(tableGlob, tablesByDb.get(db), NearNames.allowance(tableGlob), 3)
                    .forEach(t -> out.add(db + "." + t));
        }
        return out.stream().limit(3).toList();
    }

    private List<String> matchingDbs(String dbGlob) {
        return tablesByDb.keySet().stream()
                .filter(db -> globMatches(dbGlob, db))
                .toList();
    }

    static boolean hasWildcard(String glob) {
        return glob.indexOf('*') >= 0 || glob.indexOf('?') >= 0;
    }

    /** {@code *} any run, {@code ?} one character; everything else literal (as {@link TableFilter} matches). */
    static boolean globMatches(String glob, String name) {
        return TableFilter.glob(glob).matcher(name).matches();
    }

    /** A db glob as a GRANT pattern: {@code app_*} becomes {@code app\_%}. */
    static String globToLike(String glob) {
        StringBuilder sb = new StringBuilder();
        for (char ch : glob.toCharArray()) {
            switch (ch) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '_', '%' -> sb.append('\\').append(ch);
                case '`' -> sb.append("``");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
