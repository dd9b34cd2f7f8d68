package io.sluice.mysql.source;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few statement shapes the foundation recognises (TRUNCATE). Full DDL parsing belongs to the schema history.
 */
final class Ddl {
    private static final String IDENT = "(?:`(?:[^`]|``)+`|[\\w$]+)";
    private static final Pattern TRUNCATE = Pattern.compile(
            "(?is)^\\s*(?:/\\*.*?\\*/\\s*)*TRUNCATE\\s+(?:TABLE\\s+)?(" + IDENT + ")(?:\\s*\\.\\s*(" + IDENT + "))?");

    record Truncate(String db, String table) {
    }

    private Ddl() {
    }

    /** The table a TRUNCATE statement empties, or null for other statements. */
    static Truncate truncate(String sql, String defaultDb) {
        Matcher m = TRUNCATE.matcher(sql);
        if (!m.find()) {
            return null;
        }
        if (m.group(2) != null) {
            return new Truncate(unquote(m.group(1)), unquote(m.group(2)));
        }
        return new Truncate(defaultDb, unquote(m.group(1)));
    }

    static String unquote(String ident) {
        if (ident.startsWith("`")) {
            return ident.substring(1, ident.length() - 1).replace("``", "`");
        }
        return ident;
    }
}
