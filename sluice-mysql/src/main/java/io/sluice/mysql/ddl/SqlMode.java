package io.sluice.mysql.ddl;

/**
 * The parts of a statement's {@code sql_mode} that change how its text reads: with {@code ANSI_QUOTES} a
 * double-quoted word is an identifier, not a string; with {@code NO_BACKSLASH_ESCAPES} a backslash in a string is
 * an ordinary character. The binlog records each statement's {@code sql_mode} in its QUERY event (status variable
 * {@code Q_SQL_MODE_CODE}); the bits below are the same on MySQL and MariaDB (modes such as {@code ANSI} or
 * MariaDB's {@code ORACLE} are stored with their parts set).
 *
 * @param ansiQuotes         {@code "x"} is an identifier
 * @param noBackslashEscapes {@code \} is not an escape character in strings
 */
public record SqlMode(boolean ansiQuotes, boolean noBackslashEscapes) {
    /** {@code MODE_ANSI_QUOTES}. */
    public static final long ANSI_QUOTES = 1L << 2;
    /** {@code MODE_NO_BACKSLASH_ESCAPES}. */
    public static final long NO_BACKSLASH_ESCAPES = 1L << 20;

    /** The server default: double quotes delimit strings, backslashes escape. */
    public static final SqlMode DEFAULT = new SqlMode(false, false);

    /** The mode of a statement from its {@code sql_mode} bits as the binlog stores them. */
    public static SqlMode of(long bits) {
        return new SqlMode((bits & ANSI_QUOTES) != 0, (bits & NO_BACKSLASH_ESCAPES) != 0);
    }
}
