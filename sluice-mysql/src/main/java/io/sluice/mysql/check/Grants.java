package io.sluice.mysql.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The privileges in {@code SHOW GRANTS} output, MySQL's and MariaDB's formats alike: backquoted or bare names,
 * {@code ALL [PRIVILEGES]}, column lists, db-level wildcards ({@code `app\_%`.*}), role lines and trailing
 * {@code IDENTIFIED BY PASSWORD ...} / {@code WITH GRANT OPTION}. Lines it cannot read are ignored.
 */
final class Grants {

    /**
     * One grant: privilege names (upper case, single spaces; column-level ones are left out), the database
     * (null for {@code *.*}; a LIKE pattern when {@code table} is null) and the table (null for {@code db.*}).
     */
    record Grant(Set<String> privileges, String db, String table) {
        boolean global() {
            return db == null;
        }

        boolean has(String privilege) {
            return privileges.contains(privilege) || privileges.contains("ALL PRIVILEGES");
        }
    }

    private final List<Grant> grants;

    private Grants(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    List<Grant> list() {
        return grants;
    }

    static Grants parse(List<String> lines) {
        List<Grant> out = new ArrayList<>();
        for (String line : lines) {
            Grant g = parseLine(line);
            if (g != null) {
                out.add(g);
            }
        }
        return new Grants(out);
    }

    /** Whether some global grant has one of the privileges (or ALL PRIVILEGES). */
    boolean hasGlobal(String... anyOf) {
        for (Grant g : grants) {
            if (g.global()) {
                for (String p : anyOf) {
                    if (g.has(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether SELECT is granted on {@code db} as a whole, or on {@code table} of it if that is not null. */
    boolean canSelect(String db, String table) {
        return can("SELECT", db, table);
    }

    /**
     * Whether {@code privilege} is granted globally, on {@code db} as a whole (a db-level grant, whose name is a
     * LIKE pattern), or on {@code table} of it if that is not null.
     */
    boolean can(String privilege, String db, String table) {
        for (Grant g : grants) {
            if (!g.has(privilege)) {
                continue;
            }
            if (g.global()) {
                return true;
            }
            if (g.table() == null && likeMatches(g.db(), db)) {
                return true;
            }
            if (g.table() != null
                    && table != null
                    && g.db().equals(db)
                    && g.table().equalsIgnoreCase(table)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------

    static Grant parseLine(String line) {
        Cursor c = new Cursor(line.strip());
        if (!c.keyword("GRANT")) {
            return null;
        }
        int privStart = c.pos;
        int onAt = c.findTopLevelKeyword("ON");
        if (onAt < 0) {
            return null; // a role grant: GRANT `r1` TO `u`@`%`
        }
        Set<String> privileges = privileges(line.strip().substring(privStart, onAt));
        c.pos = onAt + 2;
        c.skipSpace();
        if (c.keyword("FUNCTION") || c.keyword("PROCEDURE") || c.keyword("PACKAGE")) {
            return null;
        }
        c.keyword("TABLE");
        String first = c.identifier();
        if (first == null || !c.consume('.')) {
            return null;
        }
        String second = c.identifier();
        if (second == null) {
            return null;
        }
        if (first.equals("*")) {
            return second.equals("*") ? new Grant(privileges, null, null) : null;
        }
        return new Grant(privileges, first, second.equals("*") ? null : second);
    }

    private static Set<String> privileges(String text) {
        Set<String> out = new LinkedHashSet<>();
        StringBuilder cur = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        boolean columns = false;
        for (int i = 0; i <= text.length(); i++) {
            char ch = i < text.length() ? text.charAt(i) : ',';
            if (quoted) {
                if (ch == '`') {
                    quoted = false;
                }
                continue;
            }
            if (ch == '`') {
                quoted = true;
            } else if (ch == '(') {
                depth++;
                columns = true;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                String p = cur.toString().strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
                if (!p.isEmpty() && !columns) {
                    out.add(p.equals("ALL") ? "ALL PRIVILEGES" : p);
                }
                cur.setLength(0);
                columns = false;
            } else if (depth == 0) {
                cur.append(ch);
            }
        }
        return out;
    }

    /** MySQL's db-level grant patterns: {@code %} any run, {@code _} one character, {@code \} escapes. */
    static boolean likeMatches(String pattern, String name) {
        return like(pattern, 0, name, 0);
    }

    private static boolean like(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char ch = p.charAt(pi);
            if (ch == '%') {
                for (int k = si; k <= s.length(); k++) {
                    if (like(p, pi + 1, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (ch == '\\' && pi + 1 < p.length()) {
                pi++;
                if (p.charAt(pi) != s.charAt(si)) {
                    return false;
                }
            } else if (ch != '_' && ch != s.charAt(si)) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    /** A small scanner over one SHOW GRANTS line. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        /** Consumes the keyword if it comes next as a whole word (case-insensitive). */
        boolean keyword(String kw) {
            skipSpace();
            int end = pos + kw.length();
            if (end <= s.length()
                    && s.regionMatches(true, pos, kw, 0, kw.length())
                    && (end == s.length() || !isWordChar(s.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        /** Where the keyword next stands as a whole word outside backquotes and parentheses, or -1. */
        int findTopLevelKeyword(String kw) {
            int depth = 0;
            boolean quoted = false;
            for (int i = pos; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (quoted) {
                    if (ch == '`') {
                        quoted = false;
                    }
                } else if (ch == '`') {
                    quoted = true;
                } else if (ch == '(') {
                    depth++;
                } else if (ch == ')') {
                    depth--;
                } else if (depth == 0
                        && s.regionMatches(true, i, kw, 0, kw.length())
                        && (i == 0 || !isWordChar(s.charAt(i - 1)))
                        && (i + kw.length() == s.length() || !isWordChar(s.charAt(i + kw.length())))) {
                    return i;
                }
            }
            return -1;
        }

        boolean consume(char ch) {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        /** {@code *}, a backquoted name ({@code ``} stands for one backquote) or a bare name; null if none. */
        String identifier() {
            skipSpace();
            if (pos >= s.length()) {
                return null;
            }
            char ch = s.charAt(pos);
            if (ch == '*') {
                pos++;
                return "*";
            }
            StringBuilder sb = new StringBuilder();
            if (ch == '`' || ch == '"' || ch == '\'') {
                char q = ch;
                pos++;
                while (pos < s.length()) {
                    char c = s.charAt(pos++);
                    if (c == q) {
                        if (pos < s.length() && s.charAt(pos) == q) {
                            sb.append(q);
                            pos++;
                        } else {
                            return sb.toString();
                        }
                    } else {
                        sb.append(c);
                    }
                }
                return null; // unterminated
            }
            while (pos < s.length()
                    && (isWordChar(s.charAt(pos))
                            || s.charAt(pos) == '%'
                            || s.charAt(pos) == '\\'
                            || s.charAt(pos) == '-')) {
                sb.append(s.charAt(pos++));
            }
            return sb.isEmpty() ? null : sb.toString();
        }

        private static boolean isWordChar(char ch) {
            return Character.isLetterOrDigit(ch) || ch == '_' || ch == '$';
        }
    }
}
