package io.sluice.mysql.source;

import java.util.List;
import java.util.regex.Pattern;

/** Which tables a source captures: {@code db.table} globs ({@code *}, {@code ?}) to include and to exclude. */
public final class TableFilter {
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    public TableFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(TableFilter::glob).toList();
        this.exclude = exclude.stream().map(TableFilter::glob).toList();
    }

    public boolean captures(String db, String table) {
        String qn = db + "." + table;
        if (exclude.stream().anyMatch(p -> p.matcher(qn).matches())) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(p -> p.matcher(qn).matches());
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
