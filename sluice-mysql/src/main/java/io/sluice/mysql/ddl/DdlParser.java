package io.sluice.mysql.ddl;

import io.sluice.mysql.ddl.AlterAction.*;
import io.sluice.mysql.ddl.DdlLexer.Kind;
import io.sluice.mysql.ddl.DdlLexer.Token;
import io.sluice.mysql.ddl.DdlStatement.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written recursive-descent parser for the DDL statements of MySQL 5.7/8.x and MariaDB 10.x/11.x as they
 * appear in binlog QUERY events. It reads table DDL completely (columns, types, keys) and other statements just
 * far enough to classify them. It never throws: text it cannot read gives {@link Unparseable}.
 */
public final class DdlParser {

    /** A syntax error: message and character offset. Internal to the parser; callers see Unparseable. */
    static final class ParseError extends RuntimeException {
        final int position;

        ParseError(String message, int position) {
            super(message, null, false, false);
            this.position = position;
        }
    }

    /** Words that cannot be unquoted identifiers in the places this parser reads names. */
    private static final Set<String> RESERVED = Set.of(
            "ADD",
            "ALL",
            "ALTER",
            "ANALYZE",
            "AND",
            "AS",
            "ASC",
            "BEFORE",
            "BETWEEN",
            "BIGINT",
            "BINARY",
            "BLOB",
            "BOTH",
            "BY",
            "CALL",
            "CASCADE",
            "CASE",
            "CHANGE",
            "CHAR",
            "CHARACTER",
            "CHECK",
            "COLLATE",
            "COLUMN",
            "CONSTRAINT",
            "CONVERT",
            "CREATE",
            "CROSS",
            "CURRENT_DATE",
            "CURRENT_TIME",
            "CURRENT_TIMESTAMP",
            "CURRENT_USER",
            "DATABASE",
            "DATABASES",
            "DEC",
            "DECIMAL",
            "DEFAULT",
            "DELETE",
            "DESC",
            "DISTINCT",
            "DIV",
            "DOUBLE",
            "DROP",
            "ELSE",
            "EXISTS",
            "FALSE",
            "FLOAT",
            "FOR",
            "FOREIGN",
            "FROM",
            "FULLTEXT",
            "GRANT",
            "GROUP",
            "HAVING",
            "IF",
            "IGNORE",
            "IN",
            "INDEX",
            "INNER",
            "INSERT",
            "INT",
            "INTEGER",
            "INTERVAL",
            "INTO",
            "IS",
            "JOIN",
            "KEY",
            "KEYS",
            "LEFT",
            "LIKE",
            "LIMIT",
            "LOCK",
            "LONGBLOB",
            "LONGTEXT",
            "MEDIUMBLOB",
            "MEDIUMINT",
            "MEDIUMTEXT",
            "MOD",
            "NOT",
            "NULL",
            "NUMERIC",
            "ON",
            "OR",
            "ORDER",
            "PARTITION",
            "PRECISION",
            "PRIMARY",
            "REAL",
            "REFERENCES",
            "RENAME",
            "REPLACE",
            "RESTRICT",
            "RIGHT",
            "SELECT",
            "SET",
            "SMALLINT",
            "SPATIAL",
            "TABLE",
            "THEN",
            "TINYBLOB",
            "TINYINT",
            "TINYTEXT",
            "TO",
            "TRUE",
            "UNION",
            "UNIQUE",
            "UNSIGNED",
            "UPDATE",
            "USING",
            "VALUES",
            "VARBINARY",
            "VARCHAR",
            "WHEN",
            "WHERE",
            "WITH",
            "ZEROFILL");

    /** Leading keywords of statements that never change a table definition. */
    private static final Set<String> OTHER_STATEMENTS = Set.of(
            "ANALYZE",
            "BEGIN",
            "BINLOG",
            "CACHE",
            "CALL",
            "CHECK",
            "CHECKSUM",
            "COMMIT",
            "DEALLOCATE",
            "DELETE",
            "DESC",
            "DESCRIBE",
            "DO",
            "EXECUTE",
            "EXPLAIN",
            "FLUSH",
            "GET",
            "GRANT",
            "HANDLER",
            "HELP",
            "IMPORT",
            "INSERT",
            "INSTALL",
            "KILL",
            "LOAD",
            "LOCK",
            "OPTIMIZE",
            "PREPARE",
            "PURGE",
            "RELEASE",
            "REPAIR",
            "REPLACE",
            "RESET",
            "RESIGNAL",
            "REVOKE",
            "ROLLBACK",
            "SAVEPOINT",
            "SELECT",
            "SET",
            "SHOW",
            "SHUTDOWN",
            "SIGNAL",
            "START",
            "STOP",
            "TABLE",
            "UNINSTALL",
            "UNLOCK",
            "UPDATE",
            "USE",
            "VALUES",
            "WITH",
            "XA",
            "BACKUP",
            "CHANGE",
            "CLONE",
            "RESTART",
            "BEGIN_WORK");

    /** Objects other than tables, indexes and databases that CREATE/ALTER/DROP may name. */
    private static final Set<String> OTHER_OBJECTS = Set.of(
            "VIEW",
            "PROCEDURE",
            "FUNCTION",
            "TRIGGER",
            "EVENT",
            "USER",
            "ROLE",
            "SERVER",
            "TABLESPACE",
            "LOGFILE",
            "SEQUENCE",
            "PACKAGE",
            "RESOURCE",
            "UNDO",
            "INSTANCE",
            "PREPARE",
            "SPATIAL");

    private static final Set<String> PARTITION_OPS = Set.of(
            "PARTITION",
            "REMOVE",
            "TRUNCATE",
            "COALESCE",
            "REORGANIZE",
            "EXCHANGE",
            "ANALYZE",
            "CHECK",
            "OPTIMIZE",
            "REBUILD",
            "REPAIR",
            "UPGRADE",
            "DISCARD",
            "IMPORT");

    /** The first word of a statement that changes rows (for text the lexer cannot read). */
    private static final Pattern DML_START =
            Pattern.compile("\\s*(INSERT|REPLACE|UPDATE|DELETE|LOAD|SELECT|DO|WITH)\\b", Pattern.CASE_INSENSITIVE);

    private final String sql;
    private final List<Token> toks;
    private final String defaultDb;
    private final List<TableName> seen = new ArrayList<>();
    private int p;

    private DdlParser(String sql, List<Token> toks, String defaultDb) {
        this.sql = sql;
        this.toks = toks;
        this.defaultDb = defaultDb;
    }

    /**
     * Parses one statement.
     *
     * @param sql       the statement text (a trailing ';' is allowed)
     * @param defaultDb the database in effect for the statement (the QUERY event's schema), may be null
     * @return the statement; {@link Unparseable} when it cannot be read (never null, never throws)
     */
    public static DdlStatement parse(String sql, String defaultDb) {
        return parse(sql, defaultDb, SqlMode.DEFAULT);
    }

    /**
     * Parses one statement written under the given {@code sql_mode} (the QUERY event's): under
     * {@code ANSI_QUOTES}, {@code "db"."t"} names a table.
     *
     * @param sql       the statement text (a trailing ';' is allowed)
     * @param defaultDb the database in effect for the statement (the QUERY event's schema), may be null
     * @param mode      the statement's sql_mode as far as it changes how the text reads
     * @return the statement; {@link Unparseable} when it cannot be read (never null, never throws)
     */
    public static DdlStatement parse(String sql, String defaultDb, SqlMode mode) {
        if (sql == null) {
            return new Unparseable("no statement text", 0, List.of());
        }
        List<Token> toks;
        try {
            toks = DdlLexer.tokenize(sql, mode == null ? SqlMode.DEFAULT : mode);
        } catch (ParseError e) {
            Matcher dml = DML_START.matcher(sql);
            if (dml.lookingAt()) {
                // a data change whose text does not read (it ran, so it was valid): its tables are unknown
                return new Dml(upper(dml.group(1)), List.of(), true);
            }
            return new Unparseable(e.getMessage(), e.position, List.of());
        } catch (RuntimeException | StackOverflowError e) {
            return new Unparseable("internal lexer error: " + e, 0, List.of());
        }
        DdlParser parser = new DdlParser(sql, toks, defaultDb);
        try {
            return parser.statement();
        } catch (ParseError e) {
            return new Unparseable(e.getMessage(), e.position, parser.seen);
        } catch (RuntimeException | StackOverflowError e) {
            return new Unparseable("internal parser error: " + e, parser.peek().start(), parser.seen);
        }
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() {
        return toks.get(p);
    }

    private Token peek(int k) {
        return toks.get(Math.min(p + k, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != Kind.EOF) {
            p++;
        }
        return t;
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    private static boolean isKw(Token t, String kw) {
        return t.kind() == Kind.IDENT && t.text().equalsIgnoreCase(kw);
    }

    private boolean isKw(String kw) {
        return isKw(peek(), kw);
    }

    private boolean isAnyKw(String... kws) {
        for (String kw : kws) {
            if (isKw(kw)) {
                return true;
            }
        }
        return false;
    }

    /** Accepts the keywords in sequence, all or nothing. */
    private boolean acceptKw(String... seq) {
        for (int k = 0; k < seq.length; k++) {
            if (!isKw(peek(k), seq[k])) {
                return false;
            }
        }
        p += seq.length;
        return true;
    }

    private void expectKw(String kw) {
        if (!acceptKw(kw)) {
            throw error("expected " + kw);
        }
    }

    private static boolean isSym(Token t, String sym) {
        return t.kind() == Kind.SYMBOL && t.text().equals(sym);
    }

    private boolean isSym(String sym) {
        return isSym(peek(), sym);
    }

    private boolean acceptSym(String sym) {
        if (isSym(sym)) {
            p++;
            return true;
        }
        return false;
    }

    private void expectSym(String sym) {
        if (!acceptSym(sym)) {
            throw error("expected '" + sym + "'");
        }
    }

    private ParseError error(String message) {
        return new ParseError(message + " at " + peek(), peek().start());
    }

    private boolean atEnd() {
        int k = p;
        while (isSym(toks.get(k), ";")) {
            k++;
        }
        return toks.get(k).kind() == Kind.EOF;
    }

    private void expectEnd() {
        while (acceptSym(";")) {
            // trailing semicolons
        }
        if (peek().kind() != Kind.EOF) {
            throw error("unexpected text");
        }
    }

    /** Consumes everything to the end, requiring balanced parentheses. */
    private void skipRest() {
        int depth = 0;
        while (peek().kind() != Kind.EOF) {
            Token t = next();
            if (isSym(t, "(")) {
                depth++;
            } else if (isSym(t, ")")) {
                if (--depth < 0) {
                    throw new ParseError("unbalanced ')'", t.start());
                }
            }
        }
        if (depth != 0) {
            throw error("unbalanced '('");
        }
    }

    /** At '(': consumes through the matching ')' and returns the text between them. */
    private String balanced() {
        Token open = peek();
        expectSym("(");
        int depth = 1;
        while (true) {
            Token t = next();
            if (t.kind() == Kind.EOF) {
                throw new ParseError("unbalanced '('", open.start());
            }
            if (isSym(t, "(")) {
                depth++;
            } else if (isSym(t, ")") && --depth == 0) {
                return sql.substring(open.end(), t.start()).trim();
            }
        }
    }

    // ---------------------------------------------------------------- names and literals

    private boolean isIdentifier(Token t) {
        return t.kind() == Kind.QUOTED_IDENT || (t.kind() == Kind.IDENT && !RESERVED.contains(upper(t.text())));
    }

    private String identifier(String what) {
        Token t = peek();
        if (isIdentifier(t)) {
            p++;
            return t.text();
        }
        throw error("expected " + what);
    }

    /** Any word after a '.' of a qualified name (keywords allowed there). */
    private String anyName(String what) {
        Token t = peek();
        if (t.kind() == Kind.QUOTED_IDENT || t.kind() == Kind.IDENT) {
            p++;
            return t.text();
        }
        throw error("expected " + what);
    }

    private TableName tableName() {
        String first = identifier("table name");
        TableName name;
        if (isSym(".")) {
            p++;
            name = new TableName(first, anyName("table name"));
        } else {
            name = new TableName(defaultDb, first);
        }
        seen.add(name);
        return name;
    }

    /** Column name, possibly qualified as t.c or db.t.c (the last part is returned). */
    private String columnRef() {
        String name = identifier("column name");
        while (acceptSym(".")) {
            name = anyName("column name");
        }
        return name;
    }

    /** A charset, collation, engine or similar name: word, quoted name or string. */
    private String word(String what) {
        Token t = peek();
        if (t.kind() == Kind.IDENT || t.kind() == Kind.QUOTED_IDENT || t.kind() == Kind.STRING) {
            p++;
            return t.text();
        }
        throw error("expected " + what);
    }

    private String string(String what) {
        Token t = peek();
        if (t.kind() == Kind.STRING) {
            p++;
            StringBuilder sb = new StringBuilder(t.text());
            while (peek().kind() == Kind.STRING) {
                sb.append(next().text());
            }
            return sb.toString();
        }
        throw error("expected " + what);
    }

    private long number(String what) {
        Token t = peek();
        if (t.kind() == Kind.NUMBER) {
            try {
                long v = Long.parseLong(t.text());
                p++;
                return v;
            } catch (NumberFormatException e) {
                throw error("expected " + what);
            }
        }
        throw error("expected " + what);
    }

    /** An option value: one word, string, number, or hex literal. */
    private String optionValue(String what) {
        Token t = peek();
        if (t.kind() == Kind.IDENT
                || t.kind() == Kind.QUOTED_IDENT
                || t.kind() == Kind.STRING
                || t.kind() == Kind.NUMBER
                || t.kind() == Kind.HEX) {
            p++;
            return t.text();
        }
        throw error("expected " + what);
    }

    /** MariaDB WAIT n | NOWAIT after a table name. */
    private void waitClause() {
        if (acceptKw("NOWAIT")) {
            return;
        }
        if (isKw("WAIT") && peek(1).kind() == Kind.NUMBER) {
            p += 2;
        }
    }

    // ---------------------------------------------------------------- statements

    private DdlStatement statement() {
        while (acceptSym(";")) {
            // leading empty statements
        }
        Token t = peek();
        if (t.kind() == Kind.EOF) {
            return new Other("EMPTY");
        }
        if (isSym(t, "(")) {
            skipRest();
            return new Other("SELECT");
        }
        if (t.kind() != Kind.IDENT) {
            throw error("expected a statement");
        }
        String kw = upper(t.text());
        return switch (kw) {
            case "CREATE" -> create();
            case "ALTER" -> alter();
            case "DROP" -> drop();
            case "RENAME" -> rename();
            case "TRUNCATE" -> truncate();
            case "INSERT", "REPLACE", "UPDATE", "DELETE", "LOAD", "SELECT", "DO", "WITH" -> dml(kw);
            default -> {
                if (!OTHER_STATEMENTS.contains(kw)) {
                    throw error("unknown statement");
                }
                p++;
                skipRest();
                yield new Other(kw);
            }
        };
    }

    private DdlStatement create() {
        expectKw("CREATE");
        boolean orReplace = acceptKw("OR", "REPLACE");
        boolean temporary = acceptKw("TEMPORARY");
        if (isKw("TABLE")) {
            return createTable(orReplace, temporary);
        }
        if (!temporary && (isKw("DATABASE") || isKw("SCHEMA"))) {
            return createDatabase(orReplace);
        }
        if (!temporary) {
            int save = p;
            if (!acceptKw("ONLINE")) {
                acceptKw("OFFLINE");
            }
            KeySpec.Kind kind = KeySpec.Kind.INDEX;
            if (acceptKw("UNIQUE")) {
                kind = KeySpec.Kind.UNIQUE;
            } else if (acceptKw("FULLTEXT")) {
                kind = KeySpec.Kind.FULLTEXT;
            } else if (isKw("SPATIAL") && isKw(peek(1), "INDEX")) {
                p++;
                kind = KeySpec.Kind.SPATIAL;
            }
            if (isKw("INDEX")) {
                return createIndex(kind, orReplace);
            }
            p = save;
        }
        return otherObject("CREATE");
    }

    /** CREATE/ALTER/DROP of views, routines, users...: finds the object keyword among the first tokens. */
    private DdlStatement otherObject(String verb) {
        for (int k = 0; k < 40 && peek(k).kind() != Kind.EOF; k++) {
            Token t = peek(k);
            if (t.kind() == Kind.IDENT && OTHER_OBJECTS.contains(upper(t.text()))) {
                String kind = verb + " " + upper(t.text());
                skipRest();
                return new Other(kind);
            }
            if (isKw(t, "TABLE") || isKw(t, "INDEX") || isKw(t, "DATABASE") || isKw(t, "SCHEMA")) {
                break;
            }
        }
        throw error("unknown " + verb + " statement");
    }

    private DdlStatement createTable(boolean orReplace, boolean temporary) {
        expectKw("TABLE");
        boolean ifNotExists = acceptKw("IF", "NOT", "EXISTS");
        TableName name = tableName();
        if (acceptKw("LIKE")) {
            TableName like = tableName();
            expectEnd();
            return likeTable(name, orReplace, temporary, ifNotExists, like);
        }
        if (isSym("(") && isKw(peek(1), "LIKE")) {
            p += 2;
            TableName like = tableName();
            expectSym(")");
            expectEnd();
            return likeTable(name, orReplace, temporary, ifNotExists, like);
        }
        TableBuilder tb = new TableBuilder(name);
        boolean asSelect = false;
        if (isSym("(") && isQueryStart(peek(1))) {
            skipRest();
            return new CreateTable(name, orReplace, temporary, ifNotExists, tb.build(), null, true, false);
        }
        if (acceptSym("(")) {
            do {
                createDefinition(tb);
            } while (acceptSym(","));
            expectSym(")");
        }
        tableOptions(tb);
        if (isKw("PARTITION")) {
            skipPartitioning();
        }
        if (!acceptKw("IGNORE")) {
            acceptKw("REPLACE");
        }
        boolean as = acceptKw("AS");
        if (isQueryStart(peek()) || (as && isSym("("))) {
            asSelect = true;
            skipRest();
        } else if (as) {
            throw error("expected a query after AS");
        }
        expectEnd();
        if (!asSelect && tb.columns.isEmpty()) {
            throw error("CREATE TABLE without columns");
        }
        return new CreateTable(
                name, orReplace, temporary, ifNotExists, tb.build(), null, asSelect, tb.startsTransaction);
    }

    private CreateTable likeTable(
            TableName name, boolean orReplace, boolean temporary, boolean ifNotExists, TableName like) {
        return new CreateTable(
                name, orReplace, temporary, ifNotExists, new TableBuilder(name).build(), like, false, false);
    }

    private static boolean isQueryStart(Token t) {
        return isKw(t, "SELECT") || isKw(t, "WITH") || isKw(t, "VALUES") || isKw(t, "TABLE");
    }

    /** PARTITION BY ... up to a following query or the end: skipped with balanced parentheses. */
    private void skipPartitioning() {
        int depth = 0;
        while (peek().kind() != Kind.EOF) {
            Token t = peek();
            if (depth == 0
                    && (isKw(t, "AS")
                            || isKw(t, "SELECT")
                            || isKw(t, "IGNORE")
                            || isKw(t, "REPLACE")
                            || isSym(t, ";"))) {
                break;
            }
            next();
            if (isSym(t, "(")) {
                depth++;
            } else if (isSym(t, ")") && --depth < 0) {
                throw new ParseError("unbalanced ')'", t.start());
            }
        }
        if (depth != 0) {
            throw error("unbalanced '(' in partitioning");
        }
    }

    private void createDefinition(TableBuilder tb) {
        Token t = peek();
        if (t.kind() == Kind.IDENT) {
            String w = upper(t.text());
            switch (w) {
                case "CONSTRAINT", "PRIMARY", "UNIQUE", "KEY", "INDEX", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK" -> {
                    Object def = keyDefinition();
                    if (def instanceof KeySpec k) {
                        tb.addKey(k);
                    } else {
                        tb.checks.add(((AddCheck) def).expression());
                    }
                    return;
                }
                case "PERIOD" -> {
                    if (isKw(peek(1), "FOR")) {
                        period();
                        return;
                    }
                }
                default -> {}
            }
        }
        tb.addColumn(columnDefinition(tb.checks));
    }

    /** MariaDB PERIOD FOR SYSTEM_TIME (s, e) / PERIOD FOR name (s, e). */
    private void period() {
        expectKw("PERIOD");
        expectKw("FOR");
        anyName("period name");
        balanced();
    }

    /**
     * A key or CHECK definition, at CONSTRAINT, PRIMARY, UNIQUE, KEY, INDEX, FULLTEXT, SPATIAL, FOREIGN or CHECK.
     * Returns a KeySpec, or an AddCheck for a check constraint.
     */
    private Object keyDefinition() {
        String constraint = null;
        if (acceptKw("CONSTRAINT")) {
            acceptKw("IF", "NOT", "EXISTS");
            if (isIdentifier(peek())) {
                constraint = identifier("constraint name");
            }
        }
        if (acceptKw("CHECK")) {
            String expr = balanced();
            enforced();
            return new AddCheck(constraint, expr);
        }
        KeySpec.Kind kind;
        String name = null;
        if (acceptKw("PRIMARY")) {
            expectKw("KEY");
            kind = KeySpec.Kind.PRIMARY;
        } else if (acceptKw("UNIQUE")) {
            if (!acceptKw("INDEX")) {
                acceptKw("KEY");
            }
            kind = KeySpec.Kind.UNIQUE;
        } else if (isKw("FULLTEXT") || isKw("SPATIAL")) {
            kind = isKw("FULLTEXT") ? KeySpec.Kind.FULLTEXT : KeySpec.Kind.SPATIAL;
            p++;
            if (!acceptKw("INDEX")) {
                acceptKw("KEY");
            }
        } else if (acceptKw("FOREIGN")) {
            expectKw("KEY");
            kind = KeySpec.Kind.FOREIGN;
        } else if (acceptKw("INDEX") || acceptKw("KEY")) {
            if (constraint != null) {
                throw error("expected PRIMARY, UNIQUE, FOREIGN or CHECK after CONSTRAINT");
            }
            kind = KeySpec.Kind.INDEX;
        } else {
            throw error("expected a key definition");
        }
        acceptKw("IF", "NOT", "EXISTS");
        if (kind != KeySpec.Kind.PRIMARY && isIdentifier(peek()) && !isIndexTypeClause()) {
            name = identifier("index name");
        }
        String indexType = indexType();
        List<KeySpec.KeyPart> parts = keyParts();
        KeySpec.Reference ref = null;
        if (kind == KeySpec.Kind.FOREIGN) {
            ref = references();
            name = constraint != null ? constraint : name;
        } else {
            String more = indexOptions();
            indexType = indexType != null ? indexType : more;
            if (kind == KeySpec.Kind.PRIMARY) {
                name = "PRIMARY";
            } else if (name == null) {
                name = constraint;
            }
        }
        return new KeySpec(kind, name, parts, indexType, ref);
    }

    private void enforced() {
        if (!acceptKw("ENFORCED")) {
            acceptKw("NOT", "ENFORCED");
        }
    }

    /** USING x, or the old TYPE x form (only with a known index type, so an index may be named "type"). */
    private boolean isIndexTypeClause() {
        return isKw("USING")
                || (isKw("TYPE") && (isKw(peek(1), "BTREE") || isKw(peek(1), "HASH") || isKw(peek(1), "RTREE")));
    }

    private String indexType() {
        if (isIndexTypeClause()) {
            p++;
            return upper(word("index type"));
        }
        return null;
    }

    private List<KeySpec.KeyPart> keyParts() {
        expectSym("(");
        List<KeySpec.KeyPart> parts = new ArrayList<>();
        do {
            String column = null;
            String expr = null;
            Integer length = null;
            if (isSym("(")) {
                expr = balanced();
            } else {
                column = columnRef();
                if (acceptSym("(")) {
                    length = (int) Math.min(Integer.MAX_VALUE, number("prefix length"));
                    expectSym(")");
                }
            }
            boolean desc = false;
            if (acceptKw("DESC")) {
                desc = true;
            } else {
                acceptKw("ASC");
            }
            acceptKw("WITHOUT", "OVERLAPS");
            parts.add(new KeySpec.KeyPart(column, length, desc, expr));
        } while (acceptSym(","));
        expectSym(")");
        return parts;
    }

    /** Index options; returns an index type given by USING among them, else null. */
    private String indexOptions() {
        String type = null;
        while (true) {
            if (acceptKw("KEY_BLOCK_SIZE")) {
                acceptSym("=");
                optionValue("size");
            } else if (isIndexTypeClause()) {
                type = indexType();
            } else if (acceptKw("WITH", "PARSER")) {
                word("parser name");
            } else if (acceptKw("COMMENT")) {
                acceptSym("=");
                string("comment");
            } else if (acceptKw("VISIBLE")
                    || acceptKw("INVISIBLE")
                    || acceptKw("IGNORED")
                    || acceptKw("NOT", "IGNORED")) {
                // visibility does not change the layout
            } else if (acceptKw("CLUSTERING")
                    || acceptKw("ENGINE_ATTRIBUTE")
                    || acceptKw("SECONDARY_ENGINE_ATTRIBUTE")) {
                acceptSym("=");
                optionValue("value");
            } else {
                return type;
            }
        }
    }

    private KeySpec.Reference references() {
        expectKw("REFERENCES");
        TableName table = tableName();
        List<String> cols = new ArrayList<>();
        if (acceptSym("(")) {
            do {
                cols.add(columnRef());
                if (acceptSym("(")) {
                    number("prefix length");
                    expectSym(")");
                }
                if (!acceptKw("ASC")) {
                    acceptKw("DESC");
                }
            } while (acceptSym(","));
            expectSym(")");
        }
        String onDelete = null;
        String onUpdate = null;
        while (true) {
            if (acceptKw("MATCH")) {
                word("match type");
            } else if (acceptKw("ON", "DELETE")) {
                onDelete = referentialAction();
            } else if (acceptKw("ON", "UPDATE")) {
                onUpdate = referentialAction();
            } else {
                break;
            }
        }
        return new KeySpec.Reference(table, cols, onDelete, onUpdate);
    }

    private String referentialAction() {
        if (acceptKw("RESTRICT")) {
            return "RESTRICT";
        } else if (acceptKw("CASCADE")) {
            return "CASCADE";
        } else if (acceptKw("SET", "NULL")) {
            return "SET NULL";
        } else if (acceptKw("SET", "DEFAULT")) {
            return "SET DEFAULT";
        } else if (acceptKw("NO", "ACTION")) {
            return "NO ACTION";
        }
        throw error("expected a referential action");
    }

    // ---------------------------------------------------------------- columns

    private ColumnSpec columnDefinition(List<String> checks) {
        ColumnBuilder c = new ColumnBuilder(identifier("column name"));
        dataType(c);
        columnAttributes(c, checks);
        return c.build();
    }

    private void dataType(ColumnBuilder c) {
        Token t = peek();
        if (t.kind() != Kind.IDENT) {
            throw error("expected a data type");
        }
        p++;
        String w = upper(t.text());
        switch (w) {
            case "TINYINT", "INT1" -> integer(c, "tinyint");
            case "SMALLINT", "INT2" -> integer(c, "smallint");
            case "MEDIUMINT", "INT3", "MIDDLEINT" -> integer(c, "mediumint");
            case "INT", "INTEGER", "INT4" -> integer(c, "int");
            case "BIGINT", "INT8" -> integer(c, "bigint");
            case "BIT" -> {
                c.type = "bit";
                c.length = optLength(1L);
            }
            case "BOOL", "BOOLEAN" -> {
                c.type = "tinyint";
                c.length = 1L;
            }
            case "SERIAL" -> {
                c.type = "bigint";
                c.unsigned = true;
                c.nullable = false;
                c.autoIncrement = true;
                c.unique = true;
            }
            case "REAL", "DOUBLE", "FLOAT8" -> {
                if (w.equals("DOUBLE")) {
                    acceptKw("PRECISION");
                }
                c.type = "double";
                precisionScale(c, false);
                numericModifiers(c);
            }
            case "FLOAT", "FLOAT4" -> {
                c.type = "float";
                if (acceptSym("(")) {
                    long prec = number("precision");
                    if (acceptSym(",")) {
                        c.length = prec;
                        c.scale = (int) number("scale");
                    } else if (prec > 24) {
                        c.type = "double";
                    }
                    expectSym(")");
                }
                numericModifiers(c);
            }
            case "DECIMAL", "DEC", "NUMERIC", "FIXED" -> {
                c.type = "decimal";
                precisionScale(c, true);
                numericModifiers(c);
            }
            case "DATE" -> c.type = "date";
            case "YEAR" -> {
                c.type = "year";
                c.length = optLength(null);
            }
            case "TIME", "DATETIME", "TIMESTAMP" -> {
                c.type = w.toLowerCase(Locale.ROOT);
                c.length = optLength(null);
            }
            case "CHAR", "CHARACTER" -> {
                if (acceptKw("VARYING")) {
                    c.type = "varchar";
                    c.length = requiredLength();
                } else if (acceptKw("BYTE")) {
                    c.type = "binary";
                    c.length = optLength(1L);
                } else {
                    c.type = "char";
                    c.length = optLength(1L);
                }
                stringModifiers(c);
            }
            case "VARCHAR", "VARCHARACTER" -> {
                c.type = "varchar";
                c.length = requiredLength();
                stringModifiers(c);
            }
            case "NATIONAL" -> {
                if (acceptKw("VARCHAR") || acceptKw("VARCHARACTER")) {
                    c.type = "varchar";
                    c.length = requiredLength();
                } else if (acceptKw("CHAR") || acceptKw("CHARACTER")) {
                    if (acceptKw("VARYING")) {
                        c.type = "varchar";
                        c.length = requiredLength();
                    } else {
                        c.type = "char";
                        c.length = optLength(1L);
                    }
                } else {
                    throw error("expected CHAR or VARCHAR after NATIONAL");
                }
                c.charset = "utf8mb3";
                stringModifiers(c);
            }
            case "NCHAR" -> {
                if (acceptKw("VARCHAR") || acceptKw("VARCHARACTER") || acceptKw("VARYING")) {
                    c.type = "varchar";
                    c.length = requiredLength();
                } else {
                    c.type = "char";
                    c.length = optLength(1L);
                }
                c.charset = "utf8mb3";
                stringModifiers(c);
            }
            case "NVARCHAR" -> {
                c.type = "varchar";
                c.length = requiredLength();
                c.charset = "utf8mb3";
                stringModifiers(c);
            }
            case "BINARY" -> {
                c.type = "binary";
                c.length = optLength(1L);
            }
            case "VARBINARY" -> {
                c.type = "varbinary";
                c.length = requiredLength();
            }
            case "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT" -> {
                c.type = w.toLowerCase(Locale.ROOT);
                c.length = optLength(null);
                stringModifiers(c);
            }
            case "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> {
                c.type = w.toLowerCase(Locale.ROOT);
                c.length = optLength(null);
            }
            case "LONG" -> {
                if (acceptKw("VARBINARY")) {
                    c.type = "mediumblob";
                } else {
                    if (!acceptKw("VARCHAR")) {
                        acceptKw("VARCHARACTER");
                    }
                    c.type = "mediumtext";
                    stringModifiers(c);
                }
            }
            case "ENUM", "SET" -> {
                c.type = w.toLowerCase(Locale.ROOT);
                expectSym("(");
                do {
                    c.labels.add(string("label"));
                } while (acceptSym(","));
                expectSym(")");
                stringModifiers(c);
            }
            case "JSON" -> c.type = "json";
            case "GEOMETRY",
                    "POINT",
                    "LINESTRING",
                    "POLYGON",
                    "MULTIPOINT",
                    "MULTILINESTRING",
                    "MULTIPOLYGON",
                    "GEOMETRYCOLLECTION",
                    "GEOMCOLLECTION" -> c.type = w.toLowerCase(Locale.ROOT);
            case "INET4", "INET6", "UUID" -> c.type = w.toLowerCase(Locale.ROOT);
            default -> {
                if (RESERVED.contains(w)) {
                    p--;
                    throw error("expected a data type");
                }
                // a type from a plugin or a newer server (VECTOR, XMLTYPE, ...): name and optional arguments
                c.type = w.toLowerCase(Locale.ROOT);
                if (acceptSym("(")) {
                    c.length = number("length");
                    if (acceptSym(",")) {
                        c.scale = (int) number("scale");
                    }
                    expectSym(")");
                }
                stringModifiers(c);
            }
        }
        c.declared = sql.substring(t.start(), toks.get(p - 1).end());
    }

    private void integer(ColumnBuilder c, String type) {
        c.type = type;
        c.length = optLength(null);
        numericModifiers(c);
    }

    private Long optLength(Long dflt) {
        if (acceptSym("(")) {
            long v = number("length");
            expectSym(")");
            return v;
        }
        return dflt;
    }

    private Long requiredLength() {
        if (!isSym("(")) {
            throw error("expected a length");
        }
        return optLength(null);
    }

    private void precisionScale(ColumnBuilder c, boolean decimal) {
        if (acceptSym("(")) {
            c.length = number("precision");
            if (acceptSym(",")) {
                c.scale = (int) Math.min(Integer.MAX_VALUE, number("scale"));
            } else if (decimal) {
                c.scale = 0;
            }
            expectSym(")");
        } else if (decimal) {
            c.length = 10L;
            c.scale = 0;
        }
    }

    private void numericModifiers(ColumnBuilder c) {
        while (true) {
            if (acceptKw("UNSIGNED")) {
                c.unsigned = true;
            } else if (acceptKw("SIGNED")) {
                c.unsigned = false;
            } else if (acceptKw("ZEROFILL")) {
                c.zerofill = true;
                c.unsigned = true;
            } else {
                return;
            }
        }
    }

    private void stringModifiers(ColumnBuilder c) {
        while (true) {
            if (acceptKw("BINARY")) {
                c.collation = c.collation == null ? "_bin" : c.collation;
            } else if (acceptKw("ASCII")) {
                c.charset = "latin1";
            } else if (acceptKw("UNICODE")) {
                c.charset = "ucs2";
            } else if (acceptKw("BYTE")) {
                c.charset = "binary";
            } else if (acceptKw("CHARACTER", "SET") || acceptKw("CHARSET") || acceptKw("CHAR", "SET")) {
                c.charset = charsetName();
            } else if (acceptKw("COLLATE")) {
                c.collation = word("collation");
            } else {
                return;
            }
        }
    }

    private String charsetName() {
        if (acceptKw("BINARY")) {
            return "binary";
        }
        return word("character set");
    }

    private void columnAttributes(ColumnBuilder c, List<String> checks) {
        while (true) {
            if (acceptKw("NOT", "NULL")) {
                c.nullable = false;
            } else if (acceptKw("NULL")) {
                c.nullable = true;
            } else if (acceptKw("DEFAULT")) {
                c.dflt = defaultValue();
            } else if (acceptKw("AUTO_INCREMENT")) {
                c.autoIncrement = true;
            } else if (acceptKw("UNIQUE")) {
                acceptKw("KEY");
                c.unique = true;
            } else if (acceptKw("PRIMARY", "KEY") || acceptKw("KEY")) {
                c.primary = true;
                c.nullable = false;
            } else if (acceptKw("COMMENT")) {
                c.comment = string("comment");
            } else if (acceptKw("COLLATE")) {
                c.collation = word("collation");
            } else if (acceptKw("CHARACTER", "SET") || acceptKw("CHARSET")) {
                c.charset = charsetName();
            } else if (acceptKw("COLUMN_FORMAT") || acceptKw("STORAGE")) {
                word("value");
            } else if (acceptKw("ON", "UPDATE")) {
                int start = peek().start();
                expression();
                c.onUpdate = sql.substring(start, toks.get(p - 1).end());
            } else if (acceptKw("GENERATED")) {
                expectKw("ALWAYS");
                expectKw("AS");
                generated(c);
            } else if (acceptKw("AS")) {
                generated(c);
            } else if (acceptKw("VIRTUAL") || acceptKw("STORED") || acceptKw("PERSISTENT")) {
                if (c.generated == null) {
                    p--;
                    throw error("storage kind without a generated column");
                }
                c.generated = new ColumnSpec.Generated(c.generated.expression(), !isKw(toks.get(p - 1), "VIRTUAL"));
            } else if (acceptKw("INVISIBLE")) {
                c.invisible = true;
            } else if (acceptKw("VISIBLE")) {
                c.invisible = false;
            } else if (isKw("CHECK") || isKw("CONSTRAINT")) {
                if (acceptKw("CONSTRAINT") && isIdentifier(peek())) {
                    identifier("constraint name");
                }
                expectKw("CHECK");
                checks.add(balanced());
                enforced();
            } else if (isKw("REFERENCES")) {
                references();
            } else if (acceptKw("SRID")) {
                number("SRID");
            } else if (acceptKw("REF_SYSTEM_ID")) {
                acceptSym("=");
                number("SRID");
            } else if (acceptKw("COMPRESSED")) {
                c.compressed = true;
                if (acceptSym("=")) {
                    word("compression method");
                }
            } else if (acceptKw("WITH", "SYSTEM", "VERSIONING") || acceptKw("WITHOUT", "SYSTEM", "VERSIONING")) {
                // per-column versioning: layout unchanged
            } else if (acceptKw("ENGINE_ATTRIBUTE") || acceptKw("SECONDARY_ENGINE_ATTRIBUTE")) {
                acceptSym("=");
                string("attribute");
            } else if (acceptKw("SERIAL", "DEFAULT", "VALUE")) {
                c.nullable = false;
                c.autoIncrement = true;
                c.unique = true;
            } else if (isAnyKw("BINARY", "ASCII", "UNICODE", "BYTE")) {
                stringModifiers(c);
            } else {
                return;
            }
        }
    }

    private void generated(ColumnBuilder c) {
        if (acceptKw("ROW")) {
            if (acceptKw("START")) {
                c.generated = new ColumnSpec.Generated("ROW START", true);
            } else {
                expectKw("END");
                c.generated = new ColumnSpec.Generated("ROW END", true);
            }
            return;
        }
        c.generated = new ColumnSpec.Generated(balanced(), false);
    }

    /** DEFAULT value: a literal or (MariaDB, MySQL in parentheses) an expression. */
    private DefaultValue defaultValue() {
        int first = p;
        expression();
        int last = p - 1;
        Token a = toks.get(first);
        String text = sql.substring(a.start(), toks.get(last).end());
        if (first == last) {
            switch (a.kind()) {
                case STRING -> {
                    return new DefaultValue(DefaultValue.Kind.STRING, a.text());
                }
                case NUMBER -> {
                    return new DefaultValue(DefaultValue.Kind.NUMBER, a.text());
                }
                case HEX, BITS -> {
                    return new DefaultValue(DefaultValue.Kind.BITS, a.text());
                }
                case IDENT -> {
                    if (isKw(a, "NULL")) {
                        return DefaultValue.NULL;
                    } else if (isKw(a, "TRUE")) {
                        return new DefaultValue(DefaultValue.Kind.NUMBER, "1");
                    } else if (isKw(a, "FALSE")) {
                        return new DefaultValue(DefaultValue.Kind.NUMBER, "0");
                    }
                }
                default -> {}
            }
        }
        boolean allStrings = true;
        StringBuilder joined = new StringBuilder();
        for (int k = first; k <= last; k++) {
            Token t = toks.get(k);
            if (t.kind() == Kind.STRING) {
                joined.append(t.text());
            } else if (!(k == first && t.kind() == Kind.IDENT && t.text().startsWith("_"))) {
                allStrings = false;
            }
        }
        if (allStrings) {
            return new DefaultValue(DefaultValue.Kind.STRING, joined.toString());
        }
        if (last == first + 1
                && (isSym(a, "-") || isSym(a, "+"))
                && toks.get(last).kind() == Kind.NUMBER) {
            return new DefaultValue(
                    DefaultValue.Kind.NUMBER,
                    isSym(a, "-") ? "-" + toks.get(last).text() : toks.get(last).text());
        }
        return new DefaultValue(DefaultValue.Kind.EXPRESSION, text);
    }

    private static final Set<String> BINARY_OPS = Set.of("+", "-", "*", "/", "%", "||", "&", "|", "^", "<<", ">>");

    /** operand (op operand)*, where op is arithmetic or bitwise; no comparison (ends at NOT NULL etc.). */
    private void expression() {
        operand();
        while (true) {
            Token t = peek();
            if ((t.kind() == Kind.SYMBOL && BINARY_OPS.contains(t.text())) || isKw(t, "DIV") || isKw(t, "MOD")) {
                p++;
                operand();
            } else {
                return;
            }
        }
    }

    private void operand() {
        while (isSym("-") || isSym("+") || isSym("~") || isSym("!")) {
            p++;
        }
        Token t = peek();
        switch (t.kind()) {
            case SYMBOL -> {
                if (isSym(t, "(")) {
                    balanced();
                } else {
                    throw error("expected a value");
                }
            }
            case STRING -> string("string");
            case NUMBER, HEX, BITS -> p++;
            case IDENT -> {
                p++;
                if (t.text().startsWith("_") && peek().kind() == Kind.STRING) {
                    string("string");
                } else if ((isKw(t, "DATE") || isKw(t, "TIME") || isKw(t, "TIMESTAMP"))
                        && peek().kind() == Kind.STRING) {
                    string("string");
                } else if (isKw(t, "INTERVAL")) {
                    expression();
                    word("interval unit");
                } else {
                    while (acceptSym(".")) {
                        anyName("name");
                    }
                    if (isSym("(")) {
                        balanced();
                    }
                }
            }
            case QUOTED_IDENT -> {
                p++;
                if (isSym("(")) {
                    balanced();
                }
            }
            default -> throw error("expected a value");
        }
    }

    // ---------------------------------------------------------------- table options

    /** Table options in CREATE TABLE, separated by spaces or commas. */
    private void tableOptions(TableBuilder tb) {
        if (!tableOption(tb)) {
            return;
        }
        while (true) {
            if (acceptSym(",")) {
                if (!tableOption(tb)) {
                    throw error("expected a table option");
                }
            } else if (!tableOption(tb)) {
                return;
            }
        }
    }

    private static final Set<String> KNOWN_OPTIONS = Set.of(
            "AUTO_INCREMENT",
            "AVG_ROW_LENGTH",
            "CHECKSUM",
            "TABLE_CHECKSUM",
            "COMPRESSION",
            "CONNECTION",
            "DELAY_KEY_WRITE",
            "ENCRYPTION",
            "INSERT_METHOD",
            "KEY_BLOCK_SIZE",
            "MAX_ROWS",
            "MIN_ROWS",
            "PACK_KEYS",
            "PASSWORD",
            "ROW_FORMAT",
            "STATS_AUTO_RECALC",
            "STATS_PERSISTENT",
            "STATS_SAMPLE_PAGES",
            "PAGE_CHECKSUM",
            "PAGE_COMPRESSED",
            "PAGE_COMPRESSION_LEVEL",
            "TRANSACTIONAL",
            "ENCRYPTED",
            "ENCRYPTION_KEY_ID",
            "IETF_QUOTES",
            "SEQUENCE",
            "SECONDARY_ENGINE",
            "AUTOEXTEND_SIZE",
            "ENGINE_ATTRIBUTE",
            "SECONDARY_ENGINE_ATTRIBUTE");

    /** One table option; false (nothing consumed) when the next tokens are not one. */
    private boolean tableOption(TableBuilder tb) {
        int save = p;
        boolean dflt = acceptKw("DEFAULT");
        if (acceptKw("CHARACTER", "SET") || acceptKw("CHARSET") || acceptKw("CHAR", "SET")) {
            acceptSym("=");
            tb.charset = isKw("DEFAULT") ? upper(next().text()) : charsetName();
            return true;
        }
        if (acceptKw("COLLATE")) {
            acceptSym("=");
            tb.collation = word("collation");
            return true;
        }
        if (dflt) {
            p = save;
            return false;
        }
        if (acceptKw("COMMENT")) {
            acceptSym("=");
            tb.comment = string("comment");
            return true;
        }
        if (acceptKw("ENGINE") || acceptKw("TYPE")) {
            acceptSym("=");
            tb.engine = word("engine");
            return true;
        }
        if (acceptKw("WITH", "SYSTEM", "VERSIONING")) {
            tb.systemVersioned = true;
            return true;
        }
        if (acceptKw("START", "TRANSACTION")) {
            tb.startsTransaction = true;
            return true;
        }
        if (acceptKw("UNION")) {
            acceptSym("=");
            expectSym("(");
            if (!isSym(")")) {
                do {
                    tableName();
                    seen.remove(seen.size() - 1);
                } while (acceptSym(","));
            }
            expectSym(")");
            return true;
        }
        if (acceptKw("DATA", "DIRECTORY") || acceptKw("INDEX", "DIRECTORY")) {
            acceptSym("=");
            string("directory");
            return true;
        }
        if (acceptKw("TABLESPACE")) {
            acceptSym("=");
            word("tablespace");
            if (acceptKw("STORAGE")) {
                word("storage");
            }
            return true;
        }
        if (acceptKw("STORAGE")) {
            word("storage");
            return true;
        }
        Token t = peek();
        if (t.kind() == Kind.IDENT
                && (KNOWN_OPTIONS.contains(upper(t.text()))
                        || (!RESERVED.contains(upper(t.text())) && isSym(peek(1), "=")))) {
            p++;
            acceptSym("=");
            optionValue("option value");
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- DML logged as text

    /** Words that end a table reference's optional alias (they follow a table, never name one). */
    private static final Set<String> AFTER_TABLE = Set.of(
            "ON",
            "USING",
            "JOIN",
            "INNER",
            "CROSS",
            "LEFT",
            "RIGHT",
            "NATURAL",
            "STRAIGHT_JOIN",
            "OUTER",
            "SET",
            "WHERE",
            "ORDER",
            "LIMIT",
            "PARTITION",
            "USE",
            "FORCE",
            "IGNORE",
            "FROM",
            "RETURNING",
            "VALUES",
            "VALUE",
            "SELECT",
            "WITH",
            "FOR",
            "AS",
            "GROUP",
            "HAVING",
            "WINDOW",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "LOCK");

    /**
     * A data-changing statement: finds the tables whose rows it changes. It never fails: text it cannot follow
     * gives the tables named so far, flagged as not knowing which tables change.
     */
    private DdlStatement dml(String kw) {
        int start = p;
        try {
            Dml d = switch (kw) {
                case "INSERT", "REPLACE" -> insert(kw);
                case "UPDATE" -> update();
                case "DELETE" -> delete();
                case "LOAD" -> load();
                case "WITH" -> with();
                default -> { // SELECT, DO: logged only when a stored function they called changed data
                    skipRest();
                    yield new Dml(kw, List.of(), true);
                }
            };
            return d == null ? otherAfter(start, kw) : d;
        } catch (ParseError e) {
            return new Dml(kw, List.copyOf(seen), true);
        }
    }

    /** Not a statement that changes rows after all ({@code LOAD INDEX INTO CACHE}, a WITH ... SELECT). */
    private DdlStatement otherAfter(int start, String kw) {
        p = start;
        p++;
        skipRest();
        return new Other(kw);
    }

    private Dml insert(String kw) {
        next();
        while (acceptKw("LOW_PRIORITY") || acceptKw("DELAYED") || acceptKw("HIGH_PRIORITY") || acceptKw("IGNORE")) {
            // modifiers
        }
        acceptKw("INTO");
        TableName t = tableName();
        skipRest();
        return new Dml(kw, List.of(t), false);
    }

    private Dml load() {
        next();
        if (!acceptKw("DATA") && !acceptKw("XML")) {
            return null; // LOAD INDEX INTO CACHE
        }
        while (!isKw("INTO") || !isKw(peek(1), "TABLE")) {
            if (next().kind() == Kind.EOF) {
                throw error("expected INTO TABLE");
            }
        }
        p += 2;
        TableName t = tableName();
        skipRest();
        return new Dml("LOAD", List.of(t), false);
    }

    /** WITH [RECURSIVE] cte AS (...), ... then SELECT, UPDATE, DELETE or INSERT. */
    private Dml with() {
        next();
        acceptKw("RECURSIVE");
        do {
            anyName("common table expression name");
            if (isSym("(")) {
                balanced();
            }
            expectKw("AS");
            balanced();
        } while (acceptSym(","));
        Token t = peek();
        String kw = t.kind() == Kind.IDENT ? upper(t.text()) : "";
        return switch (kw) {
            case "UPDATE" -> update();
            case "DELETE" -> delete();
            case "INSERT", "REPLACE" -> insert(kw);
            default -> null; // a query: it changes nothing unless a function it calls does, and then it is logged
            // as text only under STATEMENT, where the function's changes are not in the binlog
        };
    }

    /**
     * UPDATE [LOW_PRIORITY] [IGNORE] table_references SET assignments ...: with one table, that table; with several,
     * those the assignments name ({@code alias.col = ...}), or all of them when an assignment names none.
     */
    private Dml update() {
        next();
        while (acceptKw("LOW_PRIORITY") || acceptKw("IGNORE")) {
            // modifiers
        }
        List<String[]> refs = tableReferences();
        expectKw("SET");
        List<TableName> all =
                refs.stream().map(r -> new TableName(r[0], r[1])).distinct().toList();
        if (all.size() == 1) {
            skipRest();
            return new Dml("UPDATE", all, false);
        }
        List<TableName> targets = new ArrayList<>();
        boolean everyQualified = true;
        do {
            List<String> parts = new ArrayList<>();
            parts.add(anyName("column name"));
            while (acceptSym(".")) {
                parts.add(anyName("column name"));
            }
            expectSym("=");
            skipExpression();
            if (parts.size() == 1) {
                everyQualified = false;
                continue;
            }
            String db = parts.size() == 3 ? parts.get(0) : null;
            TableName t = resolve(refs, db, parts.get(parts.size() - 2));
            if (t != null && !targets.contains(t)) {
                targets.add(t);
            }
            if (t == null) {
                everyQualified = false;
            }
        } while (acceptSym(","));
        skipRest();
        return new Dml("UPDATE", everyQualified ? targets : all, false);
    }

    /**
     * DELETE [LOW_PRIORITY] [QUICK] [IGNORE] FROM t ... (one table), or DELETE t1[.*], t2 FROM refs ... and
     * DELETE FROM t1[.*], t2 USING refs ... (the tables listed before FROM / USING, resolved against refs).
     */
    private Dml delete() {
        next();
        if (acceptKw("HISTORY")) {
            // MariaDB's DELETE HISTORY FROM t: a system-versioned table's history rows, which no event shows
            skipRest();
            return new Dml("DELETE HISTORY", List.of(), false);
        }
        while (acceptKw("LOW_PRIORITY") || acceptKw("QUICK") || acceptKw("IGNORE")) {
            // modifiers
        }
        boolean from = acceptKw("FROM");
        List<String[]> listed = deleteTargets();
        if (!from) {
            expectKw("FROM");
            return deleteFrom(listed, tableReferences());
        }
        if (acceptKw("USING")) {
            return deleteFrom(listed, tableReferences());
        }
        if (listed.size() != 1) {
            throw error("expected USING");
        }
        skipRest();
        return new Dml("DELETE", List.of(new TableName(listed.get(0)[0], listed.get(0)[1])), false);
    }

    private Dml deleteFrom(List<String[]> listed, List<String[]> refs) {
        List<TableName> targets = new ArrayList<>();
        for (String[] t : listed) {
            TableName r = resolve(refs, t[3] != null ? t[0] : null, t[1]);
            TableName target = r != null ? r : new TableName(t[0], t[1]);
            if (!targets.contains(target)) {
                targets.add(target);
            }
        }
        skipRest();
        return new Dml("DELETE", targets, false);
    }

    /**
     * t1[.*], db.t2[.*], ...: each {db, table, null, the db when written}. A single-table DELETE's table may carry
     * an alias, skipped here.
     */
    private List<String[]> deleteTargets() {
        List<String[]> out = new ArrayList<>();
        do {
            String first = anyName("table name");
            String db = defaultDb;
            String table = first;
            String qualified = null;
            if (acceptSym(".") && !isSym("*")) {
                db = first;
                table = anyName("table name");
                qualified = db;
            }
            if (acceptSym(".") || isSym("*")) {
                expectSym("*");
            }
            seen.add(new TableName(db, table));
            out.add(new String[] {db, table, null, qualified});
            skipAlias();
        } while (acceptSym(","));
        return out;
    }

    /**
     * The table references of a multi-table UPDATE or DELETE, up to SET, WHERE or the end: each {db, table,
     * alias}. Joined tables, nested joins and their ON/USING conditions are followed; derived tables (subqueries)
     * and subqueries in conditions name no table whose rows change, and are skipped.
     */
    private List<String[]> tableReferences() {
        List<String[]> refs = new ArrayList<>();
        tableReference(refs);
        while (true) {
            if (acceptSym(",")) {
                tableReference(refs);
            } else if (joinKeyword()) {
                tableReference(refs);
            } else if (acceptKw("ON")) {
                skipCondition();
            } else if (acceptKw("USING")) {
                balanced();
            } else {
                return refs;
            }
        }
    }

    private boolean joinKeyword() {
        int save = p;
        acceptKw("NATURAL");
        if (acceptKw("LEFT") || acceptKw("RIGHT")) {
            acceptKw("OUTER");
        } else if (!acceptKw("INNER")) {
            acceptKw("CROSS");
        }
        if (acceptKw("JOIN") || acceptKw("STRAIGHT_JOIN")) {
            return true;
        }
        p = save;
        return false;
    }

    private void tableReference(List<String[]> refs) {
        if (isSym("(")) {
            if (isKw(peek(1), "SELECT") || isKw(peek(1), "WITH") || isSym(peek(1), "(")) {
                balanced(); // a derived table
                skipAlias();
                return;
            }
            next();
            refs.addAll(tableReferences());
            expectSym(")");
            return;
        }
        TableName t = tableName();
        if (acceptKw("PARTITION")) {
            balanced();
        }
        String alias = skipAlias();
        while (isAnyKw("USE", "FORCE", "IGNORE") && (isKw(peek(1), "INDEX") || isKw(peek(1), "KEY"))) {
            p += 2;
            if (acceptKw("FOR")) {
                next();
                acceptKw("BY");
            }
            balanced();
        }
        refs.add(new String[] {t.db(), t.table(), alias});
    }

    /** [AS] alias after a table: returns the alias, or null. */
    private String skipAlias() {
        boolean as = acceptKw("AS");
        Token t = peek();
        if (t.kind() == Kind.QUOTED_IDENT
                || t.kind() == Kind.IDENT
                        && !AFTER_TABLE.contains(upper(t.text()))
                        && !RESERVED.contains(upper(t.text()))
                || as && t.kind() == Kind.STRING) {
            p++;
            return t.text();
        }
        return null;
    }

    /** The table a qualifier (alias, or [db.]table) names among the references, or null. */
    private static TableName resolve(List<String[]> refs, String db, String name) {
        if (db == null) {
            for (String[] r : refs) {
                if (r[2] != null && r[2].equalsIgnoreCase(name)) {
                    return new TableName(r[0], r[1]);
                }
            }
        }
        for (String[] r : refs) {
            if (r[2] == null && r[1].equalsIgnoreCase(name) && (db == null || db.equalsIgnoreCase(r[0]))) {
                return new TableName(r[0], r[1]);
            }
        }
        return null;
    }

    /** An ON condition: up to the next join, ',' , SET, WHERE or the end, skipping parenthesised parts. */
    private void skipCondition() {
        while (peek().kind() != Kind.EOF
                && !isSym(",")
                && !isSym(")")
                && !isAnyKw(
                        "SET",
                        "WHERE",
                        "JOIN",
                        "INNER",
                        "CROSS",
                        "LEFT",
                        "RIGHT",
                        "NATURAL",
                        "STRAIGHT_JOIN",
                        "ORDER",
                        "LIMIT",
                        "USING")) {
            if (isSym("(")) {
                balanced();
            } else {
                next();
            }
        }
    }

    /** An assigned value: up to ',' at this level, WHERE, ORDER, LIMIT, RETURNING or the end. */
    private void skipExpression() {
        while (peek().kind() != Kind.EOF
                && !isSym(",")
                && !isSym(";")
                && !isAnyKw("WHERE", "ORDER", "LIMIT", "RETURNING")) {
            if (isSym("(")) {
                balanced();
            } else {
                next();
            }
        }
    }

    // ---------------------------------------------------------------- ALTER

    private DdlStatement alter() {
        expectKw("ALTER");
        int save = p;
        acceptKw("ONLINE");
        boolean ignore = acceptKw("IGNORE");
        if (isKw("TABLE")) {
            return alterTable(ignore);
        }
        p = save;
        if (isKw("DATABASE") || isKw("SCHEMA")) {
            return alterDatabase();
        }
        return otherObject("ALTER");
    }

    private DdlStatement alterTable(boolean ignore) {
        expectKw("TABLE");
        boolean ifExists = acceptKw("IF", "EXISTS");
        TableName table = tableName();
        waitClause();
        List<AlterAction> actions = new ArrayList<>();
        if (!atEnd()) {
            do {
                if (alterSpec(table, actions)) {
                    break; // partitioning: consumed the rest
                }
            } while (acceptSym(","));
            if (isKw("PARTITION") || isKw("REMOVE")) {
                skipRest();
                actions.add(new Ignored("partitioning"));
            }
        }
        expectEnd();
        if (ignore
                && actions.stream()
                        .anyMatch(a -> a instanceof AddKey k
                                && (k.key().kind() == KeySpec.Kind.PRIMARY
                                        || k.key().kind() == KeySpec.Kind.UNIQUE))) {
            // the server deletes every row that duplicates a key of the new index, and logs no row for it
            actions.add(new RowsChanged("ALTER IGNORE ... ADD UNIQUE", List.of(), false, null));
        }
        return new AlterTable(table, ifExists, actions);
    }

    /** One alter specification; true when it consumed the rest of the statement. */
    private boolean alterSpec(TableName table, List<AlterAction> actions) {
        Token t = peek();
        String kw = t.kind() == Kind.IDENT ? upper(t.text()) : "";
        switch (kw) {
            case "ADD" -> {
                p++;
                return add(actions);
            }
            case "DROP" -> {
                p++;
                return drop(actions);
            }
            case "MODIFY" -> {
                p++;
                acceptKw("COLUMN");
                boolean ifExists = acceptKw("IF", "EXISTS");
                List<String> checks = new ArrayList<>();
                ColumnSpec col = columnDefinition(checks);
                actions.add(new ModifyColumn(col, position(), ifExists));
                return false;
            }
            case "CHANGE" -> {
                p++;
                acceptKw("COLUMN");
                boolean ifExists = acceptKw("IF", "EXISTS");
                String old = identifier("column name");
                ColumnSpec col = columnDefinition(new ArrayList<>());
                actions.add(new ChangeColumn(old, col, position(), ifExists));
                return false;
            }
            case "RENAME" -> {
                p++;
                if (acceptKw("COLUMN")) {
                    String from = identifier("column name");
                    expectKw("TO");
                    actions.add(new RenameColumn(from, identifier("column name")));
                } else if (acceptKw("INDEX") || acceptKw("KEY")) {
                    String from = identifier("index name");
                    expectKw("TO");
                    actions.add(new RenameKey(from, identifier("index name")));
                } else {
                    if (!acceptKw("TO")) {
                        acceptKw("AS");
                    }
                    actions.add(new RenameTo(tableName()));
                }
                return false;
            }
            case "ALTER" -> {
                p++;
                alterAlter(actions);
                return false;
            }
            case "CONVERT" -> {
                p++;
                if (acceptKw("TO")) {
                    if (!(acceptKw("CHARACTER", "SET") || acceptKw("CHARSET") || acceptKw("CHAR", "SET"))) {
                        throw error("expected CHARACTER SET");
                    }
                    acceptSym("=");
                    String cs = isKw("DEFAULT") ? upper(next().text()) : charsetName();
                    String coll = null;
                    if (acceptKw("COLLATE")) {
                        acceptSym("=");
                        coll = word("collation");
                    }
                    actions.add(new ConvertCharset(cs, coll));
                    return false;
                }
                if (acceptKw("PARTITION")) {
                    // MariaDB 10.7: the partition's rows leave the table for a new one
                    String part = anyName("partition name");
                    expectKw("TO");
                    expectKw("TABLE");
                    TableName to = tableName();
                    actions.add(new RowsChanged("CONVERT PARTITION", List.of(part), false, to));
                    skipRest();
                    return true;
                }
                if (acceptKw("TABLE")) {
                    // MariaDB 10.7: a table's rows join this one as a new partition
                    TableName from = tableName();
                    expectKw("TO");
                    expectKw("PARTITION");
                    String part = anyName("partition name");
                    actions.add(new RowsChanged("CONVERT TABLE", List.of(part), false, from));
                    skipRest();
                    return true;
                }
                throw error("expected TO after CONVERT");
            }
            case "ALGORITHM", "LOCK" -> {
                p++;
                acceptSym("=");
                actions.add(new Ignored(kw + "=" + upper(word("value"))));
                return false;
            }
            case "FORCE" -> {
                p++;
                actions.add(new Ignored("FORCE"));
                return false;
            }
            case "ORDER" -> {
                p++;
                expectKw("BY");
                do {
                    columnRef();
                    if (!acceptKw("ASC")) {
                        acceptKw("DESC");
                    }
                } while (acceptSym(","));
                actions.add(new Ignored("ORDER BY"));
                return false;
            }
            case "ENABLE", "DISABLE" -> {
                p++;
                expectKw("KEYS");
                actions.add(new Ignored(kw + " KEYS"));
                return false;
            }
            case "WITH", "WITHOUT" -> {
                if (isKw(peek(1), "VALIDATION")) {
                    p += 2;
                    actions.add(new Ignored(kw + " VALIDATION"));
                    return false;
                }
            }
            default -> {}
        }
        if (PARTITION_OPS.contains(kw)
                && (isKw(peek(1), "PARTITION")
                        || isKw(peek(1), "PARTITIONING")
                        || isKw(peek(1), "BY")
                        || isKw(peek(1), "TABLESPACE")
                        || isKw(peek(1), "ALL"))) {
            boolean tablespace = isKw(peek(1), "TABLESPACE");
            RowsChanged rows = partitionRows(kw);
            if (rows != null) {
                actions.add(rows);
                return true;
            }
            skipRest();
            actions.add(new Ignored(tablespace ? kw + " TABLESPACE" : "partitioning"));
            return true;
        }
        TableBuilder tb = new TableBuilder(table);
        if (!tableOption(tb)) {
            throw error("unknown ALTER TABLE specification");
        }
        while (tableOption(tb)) {
            // space-separated options
        }
        if (tb.charset != null || tb.collation != null) {
            actions.add(new TableCharset(tb.charset, tb.collation));
        } else {
            actions.add(new Ignored("table options"));
        }
        if ("BLACKHOLE".equalsIgnoreCase(tb.engine)) {
            actions.add(new RowsChanged("ENGINE=BLACKHOLE", List.of(), true, null)); // the rows are thrown away
        }
        return false;
    }

    /**
     * At a partition operation ({@code kw} is its first word): the operations that add or remove rows, or null
     * (the position is left unchanged) for those that keep every row where it is or move it between partitions
     * (ADD, REORGANIZE, COALESCE, REBUILD, REMOVE PARTITIONING, PARTITION BY, ANALYZE, ...).
     */
    private RowsChanged partitionRows(String kw) {
        int save = p;
        p++;
        switch (kw) {
            case "TRUNCATE" -> {
                expectKw("PARTITION");
                boolean all = acceptKw("ALL");
                List<String> parts = all ? List.of() : partitionNames();
                skipRest();
                return new RowsChanged("TRUNCATE PARTITION", parts, all, null);
            }
            case "EXCHANGE" -> {
                expectKw("PARTITION");
                String part = anyName("partition name");
                expectKw("WITH");
                expectKw("TABLE");
                TableName other = tableName();
                skipRest(); // [WITH | WITHOUT] VALIDATION
                return new RowsChanged("EXCHANGE PARTITION", List.of(part), false, other);
            }
            case "IMPORT" -> {
                if (acceptKw("TABLESPACE")) {
                    skipRest();
                    return new RowsChanged("IMPORT TABLESPACE", List.of(), true, null);
                }
                expectKw("PARTITION");
                boolean all = acceptKw("ALL");
                List<String> parts = all ? List.of() : partitionNames();
                expectKw("TABLESPACE");
                skipRest();
                return new RowsChanged("IMPORT PARTITION TABLESPACE", parts, all, null);
            }
            default -> {
                p = save;
                return null;
            }
        }
    }

    /** {@code p1, p2, ...}: partition names separated by commas, up to the first token that is not one. */
    private List<String> partitionNames() {
        List<String> names = new ArrayList<>();
        do {
            names.add(anyName("partition name"));
        } while (acceptSym(","));
        return names;
    }

    private boolean add(List<AlterAction> actions) {
        boolean column = acceptKw("COLUMN");
        if (!column) {
            if (isAnyKw("CONSTRAINT", "PRIMARY", "UNIQUE", "KEY", "INDEX", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK")) {
                boolean ine = isIfNotExistsInKey();
                Object def = keyDefinition();
                actions.add(def instanceof KeySpec k ? new AddKey(k, ine) : (AddCheck) def);
                return false;
            }
            if (isKw("PARTITION")) {
                skipRest();
                actions.add(new Ignored("partitioning"));
                return true;
            }
            if (acceptKw("SYSTEM", "VERSIONING")) {
                actions.add(new Ignored("ADD SYSTEM VERSIONING"));
                return false;
            }
            if (isKw("PERIOD") && isKw(peek(1), "FOR")) {
                period();
                actions.add(new Ignored("ADD PERIOD"));
                return false;
            }
        }
        boolean ifNotExists = acceptKw("IF", "NOT", "EXISTS");
        if (acceptSym("(")) {
            TableBuilder tb = new TableBuilder(new TableName(null, "?"));
            List<ColumnSpec> cols = new ArrayList<>();
            List<AlterAction> keys = new ArrayList<>();
            do {
                if (isAnyKw(
                        "CONSTRAINT", "PRIMARY", "UNIQUE", "KEY", "INDEX", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK")) {
                    Object def = keyDefinition();
                    keys.add(def instanceof KeySpec k ? new AddKey(k, false) : (AddCheck) def);
                } else {
                    cols.add(columnDefinition(tb.checks));
                }
            } while (acceptSym(","));
            expectSym(")");
            if (!cols.isEmpty()) {
                actions.add(new AddColumns(cols, ColumnPosition.UNSPECIFIED, ifNotExists));
            }
            actions.addAll(keys);
            return false;
        }
        ColumnSpec col = columnDefinition(new ArrayList<>());
        actions.add(new AddColumns(List.of(col), position(), ifNotExists));
        return false;
    }

    /** Looks ahead over a key keyword sequence for IF NOT EXISTS (MariaDB ADD INDEX IF NOT EXISTS i ...). */
    private boolean isIfNotExistsInKey() {
        for (int k = 0; k < 4; k++) {
            if (isKw(peek(k), "IF") && isKw(peek(k + 1), "NOT") && isKw(peek(k + 2), "EXISTS")) {
                return true;
            }
            if (isSym(peek(k), "(")) {
                return false;
            }
        }
        return false;
    }

    private boolean drop(List<AlterAction> actions) {
        if (acceptKw("PRIMARY", "KEY")) {
            actions.add(new DropPrimaryKey());
        } else if (acceptKw("INDEX") || acceptKw("KEY") || acceptKw("UNIQUE")) {
            if (!acceptKw("INDEX")) {
                acceptKw("KEY");
            }
            boolean ifExists = acceptKw("IF", "EXISTS");
            actions.add(new DropKey(identifier("index name"), ifExists));
        } else if (acceptKw("FOREIGN", "KEY")) {
            boolean ifExists = acceptKw("IF", "EXISTS");
            actions.add(new DropForeignKey(identifier("foreign key name"), ifExists));
        } else if (acceptKw("CONSTRAINT") || acceptKw("CHECK")) {
            boolean ifExists = acceptKw("IF", "EXISTS");
            actions.add(new DropConstraint(identifier("constraint name"), ifExists));
        } else if (acceptKw("PARTITION")) {
            acceptKw("IF", "EXISTS");
            actions.add(new RowsChanged("DROP PARTITION", partitionNames(), false, null));
            skipRest();
            return true;
        } else if (acceptKw("SYSTEM", "VERSIONING")) {
            actions.add(new Ignored("DROP SYSTEM VERSIONING"));
        } else if (acceptKw("PERIOD", "FOR")) {
            anyName("period name");
            actions.add(new Ignored("DROP PERIOD"));
        } else {
            acceptKw("COLUMN");
            boolean ifExists = acceptKw("IF", "EXISTS");
            String name = identifier("column name");
            if (!acceptKw("RESTRICT")) {
                acceptKw("CASCADE");
            }
            actions.add(new DropColumn(name, ifExists));
        }
        return false;
    }

    /** ALTER [COLUMN] c SET|DROP DEFAULT ..., ALTER INDEX i [IN]VISIBLE, ALTER CHECK c [NOT] ENFORCED. */
    private void alterAlter(List<AlterAction> actions) {
        if (acceptKw("INDEX") || acceptKw("KEY")) {
            String name = identifier("index name");
            if (!(acceptKw("VISIBLE") || acceptKw("INVISIBLE") || acceptKw("IGNORED") || acceptKw("NOT", "IGNORED"))) {
                throw error("expected VISIBLE or INVISIBLE");
            }
            actions.add(new Ignored("index visibility of " + name));
            return;
        }
        if ((isKw("CHECK") || isKw("CONSTRAINT")) && isIdentifier(peek(1))) {
            p += 2;
            if (!(acceptKw("ENFORCED") || acceptKw("NOT", "ENFORCED"))) {
                throw error("expected ENFORCED");
            }
            actions.add(new Ignored("constraint enforcement"));
            return;
        }
        acceptKw("COLUMN");
        acceptKw("IF", "EXISTS");
        String col = identifier("column name");
        if (acceptKw("SET", "DEFAULT")) {
            actions.add(new AlterColumnDefault(col, defaultValue()));
        } else if (acceptKw("DROP", "DEFAULT")) {
            actions.add(new AlterColumnDefault(col, null));
        } else if (acceptKw("SET", "VISIBLE") || acceptKw("SET", "INVISIBLE")) {
            actions.add(new Ignored("column visibility of " + col));
        } else {
            throw error("expected SET DEFAULT or DROP DEFAULT");
        }
    }

    private ColumnPosition position() {
        if (acceptKw("FIRST")) {
            return ColumnPosition.FIRST;
        }
        if (acceptKw("AFTER")) {
            return ColumnPosition.after(identifier("column name"));
        }
        return ColumnPosition.UNSPECIFIED;
    }

    // ---------------------------------------------------------------- DROP, RENAME, TRUNCATE, INDEX, DATABASE

    private DdlStatement drop() {
        expectKw("DROP");
        boolean temporary = acceptKw("TEMPORARY");
        if (acceptKw("TABLE") || acceptKw("TABLES")) {
            boolean ifExists = acceptKw("IF", "EXISTS");
            List<TableName> tables = new ArrayList<>();
            do {
                tables.add(tableName());
            } while (acceptSym(","));
            waitClause();
            if (!acceptKw("RESTRICT")) {
                acceptKw("CASCADE");
            }
            expectEnd();
            return new DropTable(tables, temporary, ifExists);
        }
        if (!temporary && (acceptKw("DATABASE") || acceptKw("SCHEMA"))) {
            boolean ifExists = acceptKw("IF", "EXISTS");
            String name = identifier("database name");
            expectEnd();
            return new DropDatabase(name, ifExists);
        }
        if (!temporary) {
            int save = p;
            if (!acceptKw("ONLINE")) {
                acceptKw("OFFLINE");
            }
            if (acceptKw("INDEX")) {
                boolean ifExists = acceptKw("IF", "EXISTS");
                String name = identifier("index name");
                expectKw("ON");
                TableName table = tableName();
                waitClause();
                lockAndAlgorithm();
                expectEnd();
                return new DropIndex(table, name, ifExists);
            }
            p = save;
        }
        return otherObject("DROP");
    }

    private void lockAndAlgorithm() {
        while (acceptKw("ALGORITHM") || acceptKw("LOCK")) {
            acceptSym("=");
            word("value");
        }
    }

    private DdlStatement createIndex(KeySpec.Kind kind, boolean orReplace) {
        expectKw("INDEX");
        boolean ifNotExists = acceptKw("IF", "NOT", "EXISTS");
        String name = identifier("index name");
        String type = indexType();
        expectKw("ON");
        TableName table = tableName();
        waitClause();
        List<KeySpec.KeyPart> parts = keyParts();
        String more = indexOptions();
        lockAndAlgorithm();
        expectEnd();
        return new CreateIndex(
                table, new KeySpec(kind, name, parts, type != null ? type : more, null), orReplace, ifNotExists);
    }

    private DdlStatement rename() {
        expectKw("RENAME");
        if (!(acceptKw("TABLE") || acceptKw("TABLES"))) {
            if (isKw("USER")) {
                skipRest();
                return new Other("RENAME USER");
            }
            throw error("expected TABLE");
        }
        acceptKw("IF", "EXISTS");
        List<RenameTable.Rename> renames = new ArrayList<>();
        do {
            TableName from = tableName();
            waitClause();
            expectKw("TO");
            renames.add(new RenameTable.Rename(from, tableName()));
        } while (acceptSym(","));
        expectEnd();
        return new RenameTable(renames);
    }

    private DdlStatement truncate() {
        expectKw("TRUNCATE");
        acceptKw("TABLE");
        TableName table = tableName();
        waitClause();
        expectEnd();
        return new TruncateTable(table);
    }

    private DdlStatement createDatabase(boolean orReplace) {
        next(); // DATABASE | SCHEMA
        boolean ifNotExists = acceptKw("IF", "NOT", "EXISTS");
        String name = identifier("database name");
        String[] cs = databaseOptions();
        expectEnd();
        return new CreateDatabase(name, orReplace, ifNotExists, cs[0], cs[1]);
    }

    private DdlStatement alterDatabase() {
        next(); // DATABASE | SCHEMA
        String name = defaultDb;
        if (isIdentifier(peek()) && !isAnyKw("CHARSET", "COLLATE", "ENCRYPTION", "COMMENT", "READ", "UPGRADE")) {
            name = identifier("database name");
        }
        if (isKw("UPGRADE")) {
            skipRest();
            return new Other("ALTER DATABASE UPGRADE");
        }
        String[] cs = databaseOptions();
        expectEnd();
        return new AlterDatabase(name, cs[0], cs[1]);
    }

    private String[] databaseOptions() {
        String[] cs = new String[2];
        while (true) {
            acceptKw("DEFAULT");
            if (acceptKw("CHARACTER", "SET") || acceptKw("CHARSET") || acceptKw("CHAR", "SET")) {
                acceptSym("=");
                cs[0] = charsetName();
            } else if (acceptKw("COLLATE")) {
                acceptSym("=");
                cs[1] = word("collation");
            } else if (acceptKw("ENCRYPTION") || acceptKw("COMMENT")) {
                acceptSym("=");
                optionValue("value");
            } else if (acceptKw("READ", "ONLY")) {
                acceptSym("=");
                optionValue("value");
            } else {
                return cs;
            }
        }
    }

    // ---------------------------------------------------------------- builders

    private static final class ColumnBuilder {
        final String name;
        String type;
        Long length;
        Integer scale;
        boolean unsigned;
        boolean zerofill;
        String charset;
        String collation;
        boolean nullable = true;
        DefaultValue dflt;
        String onUpdate;
        boolean autoIncrement;
        final List<String> labels = new ArrayList<>();
        String comment;
        ColumnSpec.Generated generated;
        boolean invisible;
        boolean primary;
        boolean unique;
        boolean compressed;
        String declared;

        ColumnBuilder(String name) {
            this.name = name;
        }

        ColumnSpec build() {
            return new ColumnSpec(
                    name,
                    type,
                    length,
                    scale,
                    unsigned,
                    zerofill,
                    charset,
                    collation,
                    nullable,
                    dflt,
                    onUpdate,
                    autoIncrement,
                    labels,
                    comment,
                    generated,
                    invisible,
                    primary,
                    unique,
                    compressed,
                    declared);
        }
    }

    private static final class TableBuilder {
        final TableName name;
        final List<ColumnSpec> columns = new ArrayList<>();
        final List<KeySpec> keys = new ArrayList<>();
        final List<String> checks = new ArrayList<>();
        String charset;
        String collation;
        String engine;
        String comment;
        boolean systemVersioned;
        boolean startsTransaction;

        TableBuilder(TableName name) {
            this.name = name;
        }

        void addColumn(ColumnSpec c) {
            columns.add(c);
            KeySpec.KeyPart part = new KeySpec.KeyPart(c.name(), null, false, null);
            if (c.primaryKey()) {
                keys.add(new KeySpec(KeySpec.Kind.PRIMARY, "PRIMARY", List.of(part), null, null));
            }
            if (c.unique()) {
                keys.add(new KeySpec(KeySpec.Kind.UNIQUE, c.name(), List.of(part), null, null));
            }
        }

        void addKey(KeySpec k) {
            keys.add(k);
        }

        TableSpec build() {
            List<ColumnSpec> cols = new ArrayList<>(columns);
            for (KeySpec k : keys) {
                if (k.kind() == KeySpec.Kind.PRIMARY) {
                    for (String pk : k.columns()) {
                        for (int i = 0; i < cols.size(); i++) {
                            ColumnSpec c = cols.get(i);
                            if (c.name().equalsIgnoreCase(pk) && c.nullable()) {
                                cols.set(
                                        i,
                                        new ColumnSpec(
                                                c.name(),
                                                c.typeName(),
                                                c.length(),
                                                c.scale(),
                                                c.unsigned(),
                                                c.zerofill(),
                                                c.charset(),
                                                c.collation(),
                                                false,
                                                c.defaultValue(),
                                                c.onUpdate(),
                                                c.autoIncrement(),
                                                c.labels(),
                                                c.comment(),
                                                c.generated(),
                                                c.invisible(),
                                                c.primaryKey(),
                                                c.unique(),
                                                c.compressed(),
                                                c.declaredType()));
                            }
                        }
                    }
                }
            }
            return new TableSpec(
                    name.db(), name.table(), cols, keys, checks, charset, collation, engine, comment, systemVersioned);
        }
    }
}
