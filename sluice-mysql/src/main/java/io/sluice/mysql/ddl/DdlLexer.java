package io.sluice.mysql.ddl;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits MySQL/MariaDB statement text into tokens. Comments are dropped, except executable comments
 * ({@code /*!50100 ... * /}, {@code /*M!100100 ... * /}) whose content is tokenized as if written plainly.
 * Double-quoted text is a string and backslash escapes are honoured, unless the statement's {@link SqlMode} says
 * otherwise ({@code ANSI_QUOTES}: double quotes delimit identifiers; {@code NO_BACKSLASH_ESCAPES}).
 */
final class DdlLexer {

    enum Kind {
        IDENT,
        QUOTED_IDENT,
        STRING,
        NUMBER,
        HEX,
        BITS,
        SYMBOL,
        EOF
    }

    /**
     * @param kind  token kind
     * @param text  IDENT: as written; QUOTED_IDENT and STRING: unescaped content; HEX/BITS: the literal as written;
     *              NUMBER and SYMBOL: as written
     * @param start offset of the token's first character
     * @param end   offset after the token's last character
     */
    record Token(Kind kind, String text, int start, int end) {
        @Override
        public String toString() {
            return switch (kind) {
                case EOF -> "end of statement";
                case STRING -> "string '" + text + "'";
                case QUOTED_IDENT -> "`" + text + "`";
                default -> "'" + text + "'";
            };
        }
    }

    private static final String[] SYMBOLS = {
        "<=>", "->>", "<=", ">=", "<>", "!=", ":=", "||", "&&", "<<", ">>", "->", "@@"
    };

    private final String s;
    private final int n;
    private final SqlMode mode;
    private int i;
    private int execDepth;
    private final List<Token> out = new ArrayList<>();

    private DdlLexer(String s, SqlMode mode) {
        this.s = s;
        this.n = s.length();
        this.mode = mode;
    }

    static List<Token> tokenize(String sql) {
        return tokenize(sql, SqlMode.DEFAULT);
    }

    /** The tokens of a statement written under {@code mode}. */
    static List<Token> tokenize(String sql, SqlMode mode) {
        DdlLexer lx = new DdlLexer(sql, mode);
        lx.run();
        return lx.out;
    }

    private void run() {
        while (true) {
            skipSpaceAndComments();
            if (i >= n) {
                break;
            }
            char c = s.charAt(i);
            int start = i;
            if (c == '`' || c == '"' && mode.ansiQuotes()) {
                out.add(new Token(Kind.QUOTED_IDENT, quoted(c, false), start, i));
            } else if (c == '\'' || c == '"') {
                out.add(new Token(Kind.STRING, quoted(c, !mode.noBackslashEscapes()), start, i));
            } else if ((c == 'x' || c == 'X') && peekIs(1, '\'')) {
                i++;
                quoted('\'', false);
                out.add(new Token(Kind.HEX, s.substring(start, i), start, i));
            } else if ((c == 'b' || c == 'B') && peekIs(1, '\'')) {
                i++;
                quoted('\'', false);
                out.add(new Token(Kind.BITS, s.substring(start, i), start, i));
            } else if ((c == 'n' || c == 'N') && peekIs(1, '\'')) {
                i++;
                out.add(new Token(Kind.STRING, quoted('\'', !mode.noBackslashEscapes()), start, i));
            } else if (c == '.' && i + 1 < n && isDigit(s.charAt(i + 1)) && !afterName()) {
                i++;
                while (i < n && isDigit(s.charAt(i))) {
                    i++;
                }
                exponent();
                out.add(new Token(Kind.NUMBER, s.substring(start, i), start, i));
            } else if (isWordChar(c)) {
                word(start);
            } else {
                symbol(start);
            }
        }
        if (execDepth > 0) {
            throw new DdlParser.ParseError("unterminated executable comment", n);
        }
        out.add(new Token(Kind.EOF, "", n, n));
    }

    private boolean peekIs(int k, char c) {
        return i + k < n && s.charAt(i + k) == c;
    }

    private boolean afterName() {
        if (out.isEmpty()) {
            return false;
        }
        Token t = out.get(out.size() - 1);
        return t.end() == i && (t.kind() == Kind.IDENT || t.kind() == Kind.QUOTED_IDENT);
    }

    private void skipSpaceAndComments() {
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u0000') {
                i++;
            } else if (c == '#') {
                skipLine();
            } else if (c == '-' && peekIs(1, '-') && (i + 2 >= n || s.charAt(i + 2) <= ' ')) {
                skipLine();
            } else if (c == '/' && peekIs(1, '*')) {
                if (peekIs(2, '!')) {
                    i += 3;
                    skipVersion();
                    execDepth++;
                } else if (peekIs(2, 'M') && peekIs(3, '!')) {
                    i += 4;
                    skipVersion();
                    execDepth++;
                } else {
                    int end = s.indexOf("*/", i + 2);
                    if (end < 0) {
                        throw new DdlParser.ParseError("unterminated comment", i);
                    }
                    i = end + 2;
                }
            } else if (c == '*' && peekIs(1, '/') && execDepth > 0) {
                execDepth--;
                i += 2;
            } else {
                return;
            }
        }
    }

    private void skipVersion() {
        int j = i;
        while (j < n && isDigit(s.charAt(j))) {
            j++;
        }
        if (j - i == 5 || j - i == 6) {
            i = j;
        }
    }

    private void skipLine() {
        while (i < n && s.charAt(i) != '\n') {
            i++;
        }
    }

    private String quoted(char q, boolean escapes) {
        int start = i;
        i++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= n) {
                throw new DdlParser.ParseError(
                        (q == '`' || q == '"' && mode.ansiQuotes()
                                ? "unterminated quoted identifier"
                                : "unterminated string"),
                        start);
            }
            char c = s.charAt(i);
            if (c == q) {
                if (peekIs(1, q)) {
                    sb.append(q);
                    i += 2;
                    continue;
                }
                i++;
                return sb.toString();
            }
            if (c == '\\' && escapes && i + 1 < n) {
                char e = s.charAt(i + 1);
                switch (e) {
                    case '0' -> sb.append('\0');
                    case 'b' -> sb.append('\b');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'Z' -> sb.append('\u001a');
                    case '%', '_' -> sb.append('\\').append(e);
                    default -> sb.append(e);
                }
                i += 2;
                continue;
            }
            sb.append(c);
            i++;
        }
    }

    private void word(int start) {
        while (i < n && isWordChar(s.charAt(i))) {
            i++;
        }
        String w = s.substring(start, i);
        if (isDigit(w.charAt(0))) {
            if (w.length() > 2 && (w.startsWith("0x") && allHex(w.substring(2)))) {
                out.add(new Token(Kind.HEX, w, start, i));
                return;
            }
            if (w.length() > 2
                    && (w.startsWith("0b") && w.substring(2).chars().allMatch(ch -> ch == '0' || ch == '1'))) {
                out.add(new Token(Kind.BITS, w, start, i));
                return;
            }
            if (w.chars().allMatch(DdlLexer::isDigit)) {
                if (i + 1 < n && s.charAt(i) == '.' && isDigit(s.charAt(i + 1)) && !afterDot(start)) {
                    i++;
                    while (i < n && isDigit(s.charAt(i))) {
                        i++;
                    }
                }
                exponent();
                out.add(new Token(Kind.NUMBER, s.substring(start, i), start, i));
                return;
            }
            if (isNumberWithExponent(w)) {
                char last = w.charAt(w.length() - 1);
                if (last == 'e' || last == 'E') {
                    if (i + 1 < n && (s.charAt(i) == '+' || s.charAt(i) == '-') && isDigit(s.charAt(i + 1))) {
                        i += 2;
                        while (i < n && isDigit(s.charAt(i))) {
                            i++;
                        }
                        out.add(new Token(Kind.NUMBER, s.substring(start, i), start, i));
                        return;
                    }
                } else {
                    out.add(new Token(Kind.NUMBER, w, start, i));
                    return;
                }
            }
        }
        out.add(new Token(Kind.IDENT, w, start, i));
    }

    /** The word started right after a '.' of a qualified name (db.1t): do not read a decimal point. */
    private boolean afterDot(int start) {
        return !out.isEmpty()
                && out.get(out.size() - 1).text().equals(".")
                && out.get(out.size() - 1).end() == start;
    }

    private static boolean isNumberWithExponent(String w) {
        int e = Math.max(w.indexOf('e'), w.indexOf('E'));
        if (e <= 0) {
            return false;
        }
        for (int k = 0; k < e; k++) {
            if (!isDigit(w.charAt(k))) {
                return false;
            }
        }
        for (int k = e + 1; k < w.length(); k++) {
            if (!isDigit(w.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private void exponent() {
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            if (j < n && isDigit(s.charAt(j))) {
                while (j < n && isDigit(s.charAt(j))) {
                    j++;
                }
                i = j;
            }
        }
    }

    private static boolean allHex(String h) {
        return h.chars().allMatch(ch -> isDigit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'));
    }

    private void symbol(int start) {
        for (String sym : SYMBOLS) {
            if (s.startsWith(sym, i)) {
                i += sym.length();
                out.add(new Token(Kind.SYMBOL, sym, start, i));
                return;
            }
        }
        i++;
        out.add(new Token(Kind.SYMBOL, s.substring(start, i), start, i));
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || isDigit(c)
                || c == '_'
                || c == '$'
                || (c >= 0x80 && !Character.isWhitespace(c));
    }
}
