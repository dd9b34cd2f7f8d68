package io.sluice.mysql.source;

import java.util.List;
import java.util.regex.Pattern;

/** Which tables a source captures: {@code db.table} globs ({@code *}, {@code ?}) to include and to exclude. */
public final class TableFilter {
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    /** The database part of each include glob (null for a glob without a '.', which may span one). */
    private final List<Pattern> includeDbs;

    public TableFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(TableFilter::glob).toList();
        this.exclude = exclude.stream().map(TableFilter::glob).toList();
        this.includeDbs = include.stream()
                .map(g -> g.indexOf('.') < 0 ? null : glob(g.substring(0, g.indexOf('.'))))
                .toList();
    }

    public boolean captures(String db, String table) {
        String qn = db + "." + table;
        if (exclude.stream().anyMatch(p -> p.matcher(qn).matches())) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(p -> p.matcher(qn).matches());
    }

    /**
     * False when no table of database {@code db} can be captured (an include glob names a table in {@code db} or
     * may); the excludes are not considered.
     */
    public boolean mayCapture(String db) {
        return include.isEmpty()
                || includeDbs.stream().anyMatch(p -> p == null || p.matcher(db).matches());
    }

    /** A {@code db.table} glob as a pattern: {@code *} any run, {@code ?} one character, everything else literal. */
    public static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
