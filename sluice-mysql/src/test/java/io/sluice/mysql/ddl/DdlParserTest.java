package io.sluice.mysql.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.mysql.ddl.AlterAction.*;
import io.sluice.mysql.ddl.DdlStatement.*;
import java.util.List;
import org.junit.jupiter.api.Test;

class DdlParserTest {

    private static DdlStatement parse(String sql) {
        return DdlParser.parse(sql, "shop");
    }

    @SuppressWarnings("unchecked")
    private static <T extends DdlStatement> T parse(String sql, Class<T> type) {
        DdlStatement st = parse(sql);
        assertThat(st).as("%s", sql).isInstanceOf(type);
        return (T) st;
    }

    private static TableSpec create(String sql) {
        return parse(sql, CreateTable.class).spec();
    }

    private static List<AlterAction> alter(String sql) {
        return parse(sql, AlterTable.class).actions();
    }

    // ------------------------------------------------------------------ CREATE TABLE

    @Test
    void createTableColumnsAndPrimaryKey() {
        CreateTable ct = parse(
                "CREATE TABLE orders (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, "
                        + "customer VARCHAR(80) NOT NULL, note TEXT, PRIMARY KEY (id)) ENGINE=InnoDB "
                        + "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
                CreateTable.class);
        assertThat(ct.table()).isEqualTo(new TableName("shop", "orders"));
        assertThat(ct.columnsKnown()).isTrue();
        TableSpec t = ct.spec();
        assertThat(t.columnNames()).containsExactly("id", "customer", "note");
        ColumnSpec id = t.column("id");
        assertThat(id.typeName()).isEqualTo("bigint");
        assertThat(id.unsigned()).isTrue();
        assertThat(id.nullable()).isFalse();
        assertThat(id.autoIncrement()).isTrue();
        assertThat(t.column("customer").length()).isEqualTo(80L);
        assertThat(t.column("note").nullable()).isTrue();
        assertThat(t.column("note").hasDefault()).isFalse();
        assertThat(t.primaryKey().columns()).containsExactly("id");
        assertThat(t.charset()).isEqualTo("utf8mb4");
        assertThat(t.collation()).isEqualTo("utf8mb4_unicode_ci");
        assertThat(t.engine()).isEqualTo("InnoDB");
    }

    @Test
    void qualifiedAndBackquotedNamesWithEscapes() {
        CreateTable ct = parse("create table `sales db`.`we``ird` (`col``1` int)", CreateTable.class);
        assertThat(ct.table()).isEqualTo(new TableName("sales db", "we`ird"));
        assertThat(ct.spec().columnNames()).containsExactly("col`1");
        assertThat(DdlParser.parse("CREATE TABLE t (a int)", null).tables()).containsExactly(new TableName(null, "t"));
    }

    @Test
    void integerTypesWidthUnsignedZerofill() {
        TableSpec t = create("CREATE TABLE n (a INT(11) UNSIGNED ZEROFILL, b TINYINT(4) SIGNED, c INTEGER, "
                + "d INT8, e MIDDLEINT, f BOOL, g BOOLEAN NOT NULL DEFAULT FALSE, h BIT(64), i BIT)");
        ColumnSpec a = t.column("a");
        assertThat(a.typeName()).isEqualTo("int");
        assertThat(a.length()).isEqualTo(11L);
        assertThat(a.unsigned()).isTrue();
        assertThat(a.zerofill()).isTrue();
        assertThat(t.column("b").unsigned()).isFalse();
        assertThat(t.column("c").typeName()).isEqualTo("int");
        assertThat(t.column("d").typeName()).isEqualTo("bigint");
        assertThat(t.column("e").typeName()).isEqualTo("mediumint");
        assertThat(t.column("f").typeText()).isEqualTo("tinyint(1)");
        assertThat(t.column("g").defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.NUMBER, "0"));
        assertThat(t.column("h").length()).isEqualTo(64L);
        assertThat(t.column("i").length()).isEqualTo(1L);
    }

    @Test
    void decimalAndFloatingPoint() {
        TableSpec t = create("CREATE TABLE m (a DECIMAL(65,30), b NUMERIC, c DEC(8), d FIXED(5,2) UNSIGNED, "
                + "e DOUBLE PRECISION, f FLOAT(7,3), g FLOAT(30), h REAL, i FLOAT4, j DOUBLE(10,2))");
        assertThat(t.column("a").typeText()).isEqualTo("decimal(65,30)");
        assertThat(t.column("b").typeText()).isEqualTo("decimal(10,0)");
        assertThat(t.column("c").typeText()).isEqualTo("decimal(8,0)");
        assertThat(t.column("d").typeText()).isEqualTo("decimal(5,2) unsigned");
        assertThat(t.column("e").typeName()).isEqualTo("double");
        assertThat(t.column("f").typeText()).isEqualTo("float(7,3)");
        assertThat(t.column("g").typeName()).isEqualTo("double");
        assertThat(t.column("h").typeName()).isEqualTo("double");
        assertThat(t.column("i").typeName()).isEqualTo("float");
        assertThat(t.column("j").scale()).isEqualTo(2);
    }

    @Test
    void serialColumn() {
        TableSpec t = create("CREATE TABLE s (id SERIAL, v INT SERIAL DEFAULT VALUE)");
        ColumnSpec id = t.column("id");
        assertThat(id.typeText()).isEqualTo("bigint unsigned");
        assertThat(id.nullable()).isFalse();
        assertThat(id.autoIncrement()).isTrue();
        assertThat(id.unique()).isTrue();
        assertThat(t.column("v").autoIncrement()).isTrue();
        assertThat(t.uniqueKeys()).extracting(KeySpec::columns).containsExactly(List.of("id"), List.of("v"));
    }

    @Test
    void characterTypesCharsetsAndCollations() {
        TableSpec t = create("CREATE TABLE c (a CHAR(3) CHARACTER SET latin1 COLLATE latin1_bin, "
                + "b VARCHAR(20) CHARSET utf8mb4, c NATIONAL CHAR(2), d NCHAR VARCHAR(10), e NVARCHAR(5), "
                + "f CHAR, g VARCHAR(10) BINARY, h CHARACTER VARYING(12), i TEXT COLLATE utf8mb4_bin NOT NULL, "
                + "j LONG VARCHAR, k VARCHAR(4) ASCII, l NATIONAL VARCHAR(9))");
        assertThat(t.column("a").charset()).isEqualTo("latin1");
        assertThat(t.column("a").collation()).isEqualTo("latin1_bin");
        assertThat(t.column("b").charset()).isEqualTo("utf8mb4");
        assertThat(t.column("c").typeText()).isEqualTo("char(2)");
        assertThat(t.column("c").charset()).isEqualTo("utf8mb3");
        assertThat(t.column("d").typeText()).isEqualTo("varchar(10)");
        assertThat(t.column("e").charset()).isEqualTo("utf8mb3");
        assertThat(t.column("f").length()).isEqualTo(1L);
        assertThat(t.column("g").collation()).isEqualTo("_bin");
        assertThat(t.column("h").typeText()).isEqualTo("varchar(12)");
        assertThat(t.column("i").collation()).isEqualTo("utf8mb4_bin");
        assertThat(t.column("i").nullable()).isFalse();
        assertThat(t.column("j").typeName()).isEqualTo("mediumtext");
        assertThat(t.column("k").charset()).isEqualTo("latin1");
        assertThat(t.column("l").typeText()).isEqualTo("varchar(9)");
    }

    @Test
    void binaryTextAndBlobTypes() {
        TableSpec t = create("CREATE TABLE b (a BINARY(16), b VARBINARY(255), c TINYTEXT, d MEDIUMTEXT, "
                + "e LONGTEXT, f TINYBLOB, g BLOB(1000), h MEDIUMBLOB, i LONGBLOB, j LONG VARBINARY, k BINARY)");
        assertThat(t.columns())
                .extracting(ColumnSpec::typeText)
                .containsExactly(
                        "binary(16)",
                        "varbinary(255)",
                        "tinytext",
                        "mediumtext",
                        "longtext",
                        "tinyblob",
                        "blob(1000)",
                        "mediumblob",
                        "longblob",
                        "mediumblob",
                        "binary(1)");
    }

    @Test
    void enumAndSetLabelsWithQuotesAndCommas() {
        TableSpec t = create("CREATE TABLE e (s ENUM('new','it''s','a,b','back\\\\slash','say \\\"hi\\\"') "
                + "NOT NULL DEFAULT 'new', f SET(\"x\",'y, z','') CHARACTER SET utf8mb4)");
        ColumnSpec s = t.column("s");
        assertThat(s.typeName()).isEqualTo("enum");
        assertThat(s.labels()).containsExactly("new", "it's", "a,b", "back\\slash", "say \"hi\"");
        assertThat(s.defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.STRING, "new"));
        assertThat(t.column("f").labels()).containsExactly("x", "y, z", "");
        assertThat(t.column("f").charset()).isEqualTo("utf8mb4");
    }

    @Test
    void temporalTypesWithFractionalSeconds() {
        TableSpec t = create("CREATE TABLE d (a DATE, b TIME(3), c DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) "
                + "ON UPDATE CURRENT_TIMESTAMP(6), d TIMESTAMP NULL DEFAULT NULL, e YEAR, f YEAR(4), g DATETIME)");
        assertThat(t.column("b").length()).isEqualTo(3L);
        ColumnSpec c = t.column("c");
        assertThat(c.length()).isEqualTo(6L);
        assertThat(c.defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.EXPRESSION, "CURRENT_TIMESTAMP(6)"));
        assertThat(c.onUpdate()).isEqualTo("CURRENT_TIMESTAMP(6)");
        assertThat(t.column("d").nullable()).isTrue();
        assertThat(t.column("d").defaultValue()).isEqualTo(DefaultValue.NULL);
        assertThat(t.column("e").typeName()).isEqualTo("year");
        assertThat(t.column("g").length()).isNull();
    }

    @Test
    void jsonSpatialAndMariaDbTypes() {
        TableSpec t = create("CREATE TABLE x (j JSON, g GEOMETRY NOT NULL SRID 4326, p POINT, l LINESTRING, "
                + "mp MULTIPOLYGON, gc GEOMETRYCOLLECTION, i4 INET4, i6 INET6, u UUID DEFAULT UUID(), "
                + "SPATIAL INDEX (g))");
        assertThat(t.columns())
                .extracting(ColumnSpec::typeName)
                .containsExactly(
                        "json",
                        "geometry",
                        "point",
                        "linestring",
                        "multipolygon",
                        "geometrycollection",
                        "inet4",
                        "inet6",
                        "uuid");
        assertThat(t.column("u").defaultValue().kind()).isEqualTo(DefaultValue.Kind.EXPRESSION);
        assertThat(t.column("u").defaultValue().text()).isEqualTo("UUID()");
        assertThat(t.keys()).singleElement().satisfies(k -> {
            assertThat(k.kind()).isEqualTo(KeySpec.Kind.SPATIAL);
            assertThat(k.columns()).containsExactly("g");
        });
    }

    @Test
    void generatedColumnsWithNestedParentheses() {
        TableSpec t = create("CREATE TABLE g (a INT, b INT, "
                + "s INT GENERATED ALWAYS AS ((a + b) * (a - (b DIV 2))) STORED NOT NULL, "
                + "v VARCHAR(20) AS (concat(a, '(', b, ')')) VIRTUAL, "
                + "p DOUBLE AS (a / 3) PERSISTENT COMMENT 'mariadb')");
        ColumnSpec s = t.column("s");
        assertThat(s.generated()).isEqualTo(new ColumnSpec.Generated("(a + b) * (a - (b DIV 2))", true));
        assertThat(s.nullable()).isFalse();
        assertThat(t.column("v").generated()).isEqualTo(new ColumnSpec.Generated("concat(a, '(', b, ')')", false));
        assertThat(t.column("p").generated().stored()).isTrue();
        assertThat(t.column("p").comment()).isEqualTo("mariadb");
    }

    @Test
    void defaultValuesOfEveryKind() {
        TableSpec t = create("CREATE TABLE dv (a INT DEFAULT -5, b VARCHAR(9) DEFAULT _utf8mb4'caf\\xE9', "
                + "c VARCHAR(9) DEFAULT 'it''s' ' joined', d BIT(8) DEFAULT b'1010', e BINARY(2) DEFAULT 0x0A0B, "
                + "f DOUBLE DEFAULT 1.5e3, g JSON DEFAULT (JSON_ARRAY()), h INT DEFAULT (a * 2), "
                + "i DATE DEFAULT (CURRENT_DATE + INTERVAL 1 DAY), j INT DEFAULT NULL, k CHAR(1) DEFAULT \"y\", "
                + "l DATETIME DEFAULT NOW(), m TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, "
                + "n INT DEFAULT 1 + 1, o VARBINARY(4) DEFAULT X'CAFE')");
        assertThat(t.column("a").defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.NUMBER, "-5"));
        assertThat(t.column("b").defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.STRING, "cafxE9"));
        assertThat(t.column("c").defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.STRING, "it's joined"));
        assertThat(t.column("d").defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.BITS, "b'1010'"));
        assertThat(t.column("e").defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.BITS, "0x0A0B"));
        assertThat(t.column("f").defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.NUMBER, "1.5e3"));
        assertThat(t.column("g").defaultValue())
                .isEqualTo(new DefaultValue(DefaultValue.Kind.EXPRESSION, "(JSON_ARRAY())"));
        assertThat(t.column("h").defaultValue().text()).isEqualTo("(a * 2)");
        assertThat(t.column("i").defaultValue().text()).isEqualTo("(CURRENT_DATE + INTERVAL 1 DAY)");
        assertThat(t.column("j").defaultValue().isNull()).isTrue();
        assertThat(t.column("k").defaultValue().text()).isEqualTo("y");
        assertThat(t.column("l").defaultValue().text()).isEqualTo("NOW()");
        assertThat(t.column("m").onUpdate()).isEqualTo("CURRENT_TIMESTAMP");
        assertThat(t.column("n").defaultValue().text()).isEqualTo("1 + 1");
        assertThat(t.column("o").defaultValue().text()).isEqualTo("X'CAFE'");
    }

    @Test
    void columnAttributesCommentInvisibleCheck() {
        TableSpec t = create("CREATE TABLE a (id INT PRIMARY KEY, code CHAR(4) UNIQUE KEY COMMENT 'the code', "
                + "secret VARCHAR(10) INVISIBLE, age INT CHECK (age >= 0), qty INT CONSTRAINT qty_pos CHECK (qty > 0) "
                + "NOT ENFORCED, z BLOB COMPRESSED, y TEXT COLUMN_FORMAT DYNAMIC STORAGE DISK, "
                + "CONSTRAINT chk_all CHECK (age < 200 AND qty < 1000))");
        assertThat(t.column("id").primaryKey()).isTrue();
        assertThat(t.column("id").nullable()).isFalse();
        assertThat(t.column("code").unique()).isTrue();
        assertThat(t.column("code").comment()).isEqualTo("the code");
        assertThat(t.column("secret").invisible()).isTrue();
        assertThat(t.column("z").compressed()).isTrue();
        assertThat(t.checks()).containsExactly("age >= 0", "qty > 0", "age < 200 AND qty < 1000");
        assertThat(t.primaryKey().columns()).containsExactly("id");
        assertThat(t.uniqueKeys()).singleElement().extracting(KeySpec::name).isEqualTo("code");
    }

    @Test
    void keysOfEveryKind() {
        TableSpec t = create("CREATE TABLE k (id INT, a VARCHAR(100), b INT, c TEXT, parent INT, "
                + "CONSTRAINT pk_k PRIMARY KEY USING BTREE (id, b), UNIQUE KEY uq_a (a(20) DESC) COMMENT 'u', "
                + "KEY idx_b (b) USING HASH, INDEX (parent), FULLTEXT KEY ft_c (c) WITH PARSER ngram, "
                + "CONSTRAINT fk_parent FOREIGN KEY (parent) REFERENCES `other`.`parents` (id) "
                + "ON DELETE SET NULL ON UPDATE CASCADE, KEY ((b + 1)))");
        assertThat(t.keys())
                .extracting(KeySpec::kind)
                .containsExactly(
                        KeySpec.Kind.PRIMARY,
                        KeySpec.Kind.UNIQUE,
                        KeySpec.Kind.INDEX,
                        KeySpec.Kind.INDEX,
                        KeySpec.Kind.FULLTEXT,
                        KeySpec.Kind.FOREIGN,
                        KeySpec.Kind.INDEX);
        KeySpec pk = t.primaryKey();
        assertThat(pk.name()).isEqualTo("PRIMARY");
        assertThat(pk.columns()).containsExactly("id", "b");
        assertThat(pk.indexType()).isEqualTo("BTREE");
        assertThat(t.column("b").nullable()).isFalse();
        KeySpec uq = t.keys().get(1);
        assertThat(uq.name()).isEqualTo("uq_a");
        assertThat(uq.parts()).containsExactly(new KeySpec.KeyPart("a", 20, true, null));
        assertThat(t.keys().get(2).indexType()).isEqualTo("HASH");
        assertThat(t.keys().get(3).name()).isNull();
        KeySpec fk = t.keys().get(5);
        assertThat(fk.name()).isEqualTo("fk_parent");
        assertThat(fk.references().table()).isEqualTo(new TableName("other", "parents"));
        assertThat(fk.references().columns()).containsExactly("id");
        assertThat(fk.references().onDelete()).isEqualTo("SET NULL");
        assertThat(fk.references().onUpdate()).isEqualTo("CASCADE");
        assertThat(t.keys().get(6).parts().get(0).expression()).isEqualTo("b + 1");
    }

    @Test
    void createTableLikeAndAsSelect() {
        CreateTable like = parse("CREATE TABLE IF NOT EXISTS copy LIKE archive.orders", CreateTable.class);
        assertThat(like.like()).isEqualTo(new TableName("archive", "orders"));
        assertThat(like.ifNotExists()).isTrue();
        assertThat(like.columnsKnown()).isFalse();
        assertThat(parse("CREATE TABLE copy2 (LIKE orders)", CreateTable.class).like())
                .isEqualTo(new TableName("shop", "orders"));
        CreateTable ctas = parse(
                "CREATE TABLE totals (extra INT) ENGINE=InnoDB AS SELECT customer, SUM(x) AS s "
                        + "FROM orders GROUP BY customer",
                CreateTable.class);
        assertThat(ctas.asSelect()).isTrue();
        assertThat(ctas.columnsKnown()).isFalse();
        assertThat(ctas.spec().columnNames()).containsExactly("extra");
        assertThat(parse("CREATE TABLE t2 SELECT * FROM t1", CreateTable.class).asSelect())
                .isTrue();
        assertThat(parse("CREATE TABLE t3 IGNORE SELECT * FROM t1", CreateTable.class)
                        .asSelect())
                .isTrue();
        assertThat(parse("CREATE TABLE t4 (SELECT 1 AS one)", CreateTable.class).asSelect())
                .isTrue();
        CreateTable atomic = parse("CREATE TABLE t5 (a INT) START TRANSACTION ENGINE=InnoDB", CreateTable.class);
        assertThat(atomic.asSelect()).isFalse();
        assertThat(atomic.startsTransaction()).isTrue(); // MySQL 8.0.21+ logs CREATE ... SELECT so
        assertThat(atomic.spec().engine()).isEqualTo("InnoDB");
        assertThat(ctas.startsTransaction()).isFalse();
    }

    @Test
    void mariaDbCreateOrReplaceTemporaryAndSystemVersioning() {
        CreateTable ct =
                parse("CREATE OR REPLACE TEMPORARY TABLE tmp (x INT) WITH SYSTEM VERSIONING", CreateTable.class);
        assertThat(ct.orReplace()).isTrue();
        assertThat(ct.temporary()).isTrue();
        assertThat(ct.spec().systemVersioned()).isTrue();
        TableSpec t = create("CREATE TABLE hist (id INT, row_start TIMESTAMP(6) GENERATED ALWAYS AS ROW START "
                + "INVISIBLE, row_end TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE, "
                + "PERIOD FOR SYSTEM_TIME(row_start, row_end)) WITH SYSTEM VERSIONING");
        assertThat(t.column("row_start").generated().expression()).isEqualTo("ROW START");
        assertThat(t.column("row_end").invisible()).isTrue();
        assertThat(t.columnNames()).containsExactly("id", "row_start", "row_end");
    }

    @Test
    void partitioningIsSkipped() {
        TableSpec t = create("CREATE TABLE p (id INT NOT NULL, created DATE NOT NULL, PRIMARY KEY (id, created)) "
                + "PARTITION BY RANGE (YEAR(created)) (PARTITION p0 VALUES LESS THAN (2020), "
                + "PARTITION p1 VALUES LESS THAN (MAXVALUE) COMMENT = 'x, (y)')");
        assertThat(t.columnNames()).containsExactly("id", "created");
        assertThat(create("CREATE TABLE h (id INT) PARTITION BY HASH(id) PARTITIONS 4")
                        .columnNames())
                .containsExactly("id");
    }

    @Test
    void tableOptionsManyKinds() {
        TableSpec t = create("CREATE TABLE o (a INT) ENGINE = MyISAM, AUTO_INCREMENT=100, ROW_FORMAT=COMPRESSED "
                + "KEY_BLOCK_SIZE=8 COMMENT='it''s a table' CHARACTER SET = latin1 STATS_PERSISTENT=0 "
                + "PAGE_CHECKSUM=1 TRANSACTIONAL=0 UNION=(a1, a2) DATA DIRECTORY='/data' CHECKSUM=1");
        assertThat(t.engine()).isEqualTo("MyISAM");
        assertThat(t.comment()).isEqualTo("it's a table");
        assertThat(t.charset()).isEqualTo("latin1");
    }

    // ------------------------------------------------------------------ comments and lexing

    @Test
    void commentsAreIgnoredAndExecutableCommentsKept() {
        TableSpec t = create("/* leading */ CREATE TABLE c1 ( -- a line comment\n a INT, # hash comment\n"
                + " b INT /*!50606 COMMENT 'exec' */, c INT /*M!100301 INVISIBLE */) /*!50100 ENGINE=InnoDB */");
        assertThat(t.columnNames()).containsExactly("a", "b", "c");
        assertThat(t.column("b").comment()).isEqualTo("exec");
        assertThat(t.column("c").invisible()).isTrue();
        assertThat(t.engine()).isEqualTo("InnoDB");
        assertThat(parse("/*!40101 SET NAMES utf8mb4 */")).isEqualTo(new Other("SET"));
        assertThat(parse("DROP TABLE `t` /* generated by server */", DropTable.class)
                        .tables())
                .containsExactly(new TableName("shop", "t"));
    }

    @Test
    void keywordsAreCaseInsensitiveAndNonReservedWordsAreNames() {
        TableSpec t = create("cReAtE tAbLe Mixed (status int, type varchar(5), comment text, date date, "
                + "timestamp timestamp, `key` int, first int, after int, data json)");
        assertThat(t.columnNames())
                .containsExactly("status", "type", "comment", "date", "timestamp", "key", "first", "after", "data");
        assertThat(t.column("comment").typeName()).isEqualTo("text");
    }

    // ------------------------------------------------------------------ ALTER TABLE

    @Test
    void alterAddColumnWithPositions() {
        List<AlterAction> a = alter("ALTER TABLE orders ADD COLUMN total DECIMAL(12,2) NOT NULL DEFAULT 0 AFTER id, "
                + "ADD flag TINYINT(1) FIRST, ADD COLUMN note VARCHAR(10)");
        AddColumns first = (AddColumns) a.get(0);
        assertThat(first.columns()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("total");
            assertThat(c.typeText()).isEqualTo("decimal(12,2)");
            assertThat(c.defaultValue()).isEqualTo(new DefaultValue(DefaultValue.Kind.NUMBER, "0"));
        });
        assertThat(first.position()).isEqualTo(ColumnPosition.after("id"));
        assertThat(((AddColumns) a.get(1)).position()).isEqualTo(ColumnPosition.FIRST);
        assertThat(((AddColumns) a.get(2)).position()).isEqualTo(ColumnPosition.UNSPECIFIED);
    }

    @Test
    void alterAddColumnList() {
        List<AlterAction> a = alter("ALTER TABLE t ADD (x INT, y VARCHAR(3) CHARACTER SET ascii, INDEX ix (x))");
        assertThat(a).hasSize(2);
        assertThat(((AddColumns) a.get(0)).columns())
                .extracting(ColumnSpec::name)
                .containsExactly("x", "y");
        assertThat(((AddKey) a.get(1)).key().name()).isEqualTo("ix");
    }

    @Test
    void alterDropColumn() {
        List<AlterAction> a = alter("ALTER TABLE t DROP COLUMN a, DROP b, DROP COLUMN IF EXISTS c");
        assertThat(a)
                .containsExactly(new DropColumn("a", false), new DropColumn("b", false), new DropColumn("c", true));
    }

    @Test
    void alterModifyColumn() {
        List<AlterAction> a = alter("ALTER TABLE t MODIFY COLUMN price DECIMAL(14,4) UNSIGNED NULL AFTER name");
        ModifyColumn m = (ModifyColumn) a.get(0);
        assertThat(m.column().name()).isEqualTo("price");
        assertThat(m.column().typeText()).isEqualTo("decimal(14,4) unsigned");
        assertThat(m.column().nullable()).isTrue();
        assertThat(m.position()).isEqualTo(ColumnPosition.after("name"));
        assertThat(((ModifyColumn) alter("ALTER TABLE t MODIFY IF EXISTS x INT").get(0)).ifExists())
                .isTrue();
    }

    @Test
    void alterChangeColumn() {
        ChangeColumn c = (ChangeColumn) alter("ALTER TABLE t CHANGE `old name` `new``name` VARCHAR(50) "
                        + "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL FIRST")
                .get(0);
        assertThat(c.oldName()).isEqualTo("old name");
        assertThat(c.column().name()).isEqualTo("new`name");
        assertThat(c.column().charset()).isEqualTo("utf8mb4");
        assertThat(c.column().collation()).isEqualTo("utf8mb4_bin");
        assertThat(c.column().nullable()).isFalse();
        assertThat(c.position()).isEqualTo(ColumnPosition.FIRST);
    }

    @Test
    void alterRenameColumnAndIndex() {
        assertThat(alter("ALTER TABLE t RENAME COLUMN a TO b, RENAME INDEX i1 TO i2, RENAME KEY k1 TO k2"))
                .containsExactly(new RenameColumn("a", "b"), new RenameKey("i1", "i2"), new RenameKey("k1", "k2"));
    }

    @Test
    void alterColumnDefault() {
        List<AlterAction> a = alter("ALTER TABLE t ALTER COLUMN status SET DEFAULT 'new', ALTER qty DROP DEFAULT, "
                + "ALTER c SET DEFAULT (uuid()), ALTER COLUMN d SET INVISIBLE");
        assertThat(a.get(0))
                .isEqualTo(new AlterColumnDefault("status", new DefaultValue(DefaultValue.Kind.STRING, "new")));
        assertThat(a.get(1)).isEqualTo(new AlterColumnDefault("qty", null));
        assertThat(((AlterColumnDefault) a.get(2)).value().text()).isEqualTo("(uuid())");
        assertThat(a.get(3)).isInstanceOf(Ignored.class);
    }

    @Test
    void alterPrimaryKey() {
        List<AlterAction> a = alter("ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (a, b)");
        assertThat(a.get(0)).isEqualTo(new DropPrimaryKey());
        KeySpec pk = ((AddKey) a.get(1)).key();
        assertThat(pk.kind()).isEqualTo(KeySpec.Kind.PRIMARY);
        assertThat(pk.columns()).containsExactly("a", "b");
        AlterTable at = parse("ALTER TABLE t DROP PRIMARY KEY", AlterTable.class);
        assertThat(at.changesLayout()).isTrue();
    }

    @Test
    void alterAddAndDropIndexes() {
        List<AlterAction> a = alter("ALTER TABLE t ADD UNIQUE INDEX uq (email), ADD INDEX IF NOT EXISTS ix (a, b), "
                + "ADD KEY (c), ADD FULLTEXT (body), ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES par (id), "
                + "ADD CONSTRAINT uq2 UNIQUE (d), DROP INDEX uq, DROP KEY IF EXISTS ix, DROP FOREIGN KEY fk, "
                + "DROP CONSTRAINT uq2, DROP CHECK ck");
        KeySpec uq = ((AddKey) a.get(0)).key();
        assertThat(uq.kind()).isEqualTo(KeySpec.Kind.UNIQUE);
        assertThat(uq.name()).isEqualTo("uq");
        assertThat(((AddKey) a.get(1)).ifNotExists()).isTrue();
        assertThat(((AddKey) a.get(2)).key().name()).isNull();
        assertThat(((AddKey) a.get(3)).key().kind()).isEqualTo(KeySpec.Kind.FULLTEXT);
        KeySpec fk = ((AddKey) a.get(4)).key();
        assertThat(fk.kind()).isEqualTo(KeySpec.Kind.FOREIGN);
        assertThat(fk.name()).isEqualTo("fk");
        assertThat(((AddKey) a.get(5)).key().name()).isEqualTo("uq2");
        assertThat(a.subList(6, 11))
                .containsExactly(
                        new DropKey("uq", false),
                        new DropKey("ix", true),
                        new DropForeignKey("fk", false),
                        new DropConstraint("uq2", false),
                        new DropConstraint("ck", false));
    }

    @Test
    void alterAddCheck() {
        assertThat(alter("ALTER TABLE t ADD CONSTRAINT ck CHECK (a > 0), ADD CHECK (b < 5)"))
                .containsExactly(new AddCheck("ck", "a > 0"), new AddCheck(null, "b < 5"));
    }

    @Test
    void alterRenameTable() {
        AlterTable at = parse("ALTER TABLE a RENAME TO archive.b", AlterTable.class);
        assertThat(at.renamedTo()).isEqualTo(new TableName("archive", "b"));
        assertThat(at.tables()).containsExactly(new TableName("shop", "a"), new TableName("archive", "b"));
        assertThat(at.changesLayout()).isFalse();
        assertThat(parse("ALTER TABLE a RENAME AS c", AlterTable.class).renamedTo())
                .isEqualTo(new TableName("shop", "c"));
        assertThat(parse("ALTER TABLE a RENAME d", AlterTable.class).renamedTo())
                .isEqualTo(new TableName("shop", "d"));
    }

    @Test
    void alterConvertAndTableCharset() {
        assertThat(alter("ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci"))
                .containsExactly(new ConvertCharset("utf8mb4", "utf8mb4_0900_ai_ci"));
        assertThat(alter("ALTER TABLE t CONVERT TO CHARSET latin1"))
                .containsExactly(new ConvertCharset("latin1", null));
        assertThat(alter("ALTER TABLE t DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin"))
                .containsExactly(new TableCharset("utf8mb4", "utf8mb4_bin"));
        assertThat(alter("ALTER TABLE t COLLATE utf8mb4_general_ci"))
                .containsExactly(new TableCharset(null, "utf8mb4_general_ci"));
    }

    @Test
    void alterOptionsAlgorithmLockAreIgnored() {
        AlterTable at = parse("ALTER TABLE t ENGINE=InnoDB, ALGORITHM=INPLACE, LOCK=NONE, FORCE", AlterTable.class);
        assertThat(at.actions()).hasSize(4).allMatch(a -> a instanceof Ignored);
        assertThat(at.changesLayout()).isFalse();
        assertThat(alter("ALTER TABLE t ROW_FORMAT=DYNAMIC KEY_BLOCK_SIZE=0")).hasSize(1);
        assertThat(alter("ALTER TABLE t ADD c INT, ALGORITHM=INSTANT")).hasSize(2);
        assertThat(alter("ALTER TABLE t ORDER BY a, b DESC")).containsExactly(new Ignored("ORDER BY"));
        assertThat(alter("ALTER TABLE t DISABLE KEYS")).containsExactly(new Ignored("DISABLE KEYS"));
        assertThat(alter("ALTER TABLE t")).isEmpty();
    }

    @Test
    void alterMariaDbIfExistsAndIfNotExists() {
        AlterTable at = parse(
                "ALTER ONLINE IGNORE TABLE IF EXISTS t WAIT 5 ADD COLUMN IF NOT EXISTS c INT, "
                        + "DROP INDEX IF EXISTS i, ADD INDEX IF NOT EXISTS j (c)",
                AlterTable.class);
        assertThat(at.ifExists()).isTrue();
        assertThat(((AddColumns) at.actions().get(0)).ifNotExists()).isTrue();
        assertThat(at.actions().get(1)).isEqualTo(new DropKey("i", true));
        assertThat(((AddKey) at.actions().get(2)).ifNotExists()).isTrue();
    }

    @Test
    void alterPartitionOperationsThatKeepRowsAreIgnored() {
        assertThat(alter("ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (2030))"))
                .containsExactly(new Ignored("partitioning"));
        assertThat(alter("ALTER TABLE t REORGANIZE PARTITION p2 INTO (PARTITION a VALUES LESS THAN (5),"
                        + " PARTITION b VALUES LESS THAN (9))"))
                .containsExactly(new Ignored("partitioning"));
        assertThat(alter("ALTER TABLE t COALESCE PARTITION 2")).containsExactly(new Ignored("partitioning"));
        assertThat(alter("ALTER TABLE t REBUILD PARTITION p0, p1")).containsExactly(new Ignored("partitioning"));
        assertThat(alter("ALTER TABLE t DISCARD TABLESPACE")).containsExactly(new Ignored("DISCARD TABLESPACE"));
        assertThat(alter("ALTER TABLE t REMOVE PARTITIONING")).containsExactly(new Ignored("partitioning"));
        List<AlterAction> a = alter("ALTER TABLE t ADD c INT PARTITION BY HASH(id) PARTITIONS 2");
        assertThat(a.get(0)).isInstanceOf(AddColumns.class);
        assertThat(a.get(1)).isEqualTo(new Ignored("partitioning"));
    }

    @Test
    void alterOperationsThatAddOrRemoveRowsSaySo() {
        assertThat(alter("ALTER TABLE t DROP PARTITION p0, p1"))
                .containsExactly(new RowsChanged("DROP PARTITION", List.of("p0", "p1"), false, null));
        assertThat(alter("ALTER TABLE t DROP PARTITION IF EXISTS p0"))
                .containsExactly(new RowsChanged("DROP PARTITION", List.of("p0"), false, null));
        RowsChanged all =
                (RowsChanged) alter("ALTER TABLE t TRUNCATE PARTITION ALL").get(0);
        assertThat(all.truncatesAll()).isTrue();
        assertThat(alter("alter table t truncate partition p0, `p 1`"))
                .containsExactly(new RowsChanged("TRUNCATE PARTITION", List.of("p0", "p 1"), false, null));
        AlterTable ex =
                parse("ALTER TABLE t EXCHANGE PARTITION p0 WITH TABLE other.px WITHOUT VALIDATION", AlterTable.class);
        assertThat(ex.actions())
                .containsExactly(new RowsChanged("EXCHANGE PARTITION", List.of("p0"), false, t("other", "px")));
        assertThat(ex.tables()).containsExactly(t("shop", "t"), t("other", "px"));
        assertThat(ex.changesLayout()).isFalse();
        assertThat(alter("ALTER TABLE t CONVERT PARTITION p2a TO TABLE pc"))
                .containsExactly(new RowsChanged("CONVERT PARTITION", List.of("p2a"), false, t("shop", "pc")));
        assertThat(alter("ALTER TABLE t CONVERT TABLE pc TO PARTITION p9 VALUES LESS THAN (MAXVALUE)"))
                .containsExactly(new RowsChanged("CONVERT TABLE", List.of("p9"), false, t("shop", "pc")));
        assertThat(alter("ALTER TABLE t IMPORT TABLESPACE"))
                .containsExactly(new RowsChanged("IMPORT TABLESPACE", List.of(), true, null));
        assertThat(alter("ALTER TABLE t IMPORT PARTITION p1, p2 TABLESPACE"))
                .containsExactly(new RowsChanged("IMPORT PARTITION TABLESPACE", List.of("p1", "p2"), false, null));
        assertThat(alter("ALTER TABLE t ENGINE = BLACKHOLE"))
                .contains(new RowsChanged("ENGINE=BLACKHOLE", List.of(), true, null));
        assertThat(alter("ALTER IGNORE TABLE t ADD UNIQUE KEY u (a)"))
                .contains(new RowsChanged("ALTER IGNORE ... ADD UNIQUE", List.of(), false, null));
        assertThat(alter("ALTER IGNORE TABLE t ADD INDEX i (a)")).noneMatch(RowsChanged.class::isInstance);
        assertThat(alter("ALTER TABLE t ADD UNIQUE KEY u (a)")).noneMatch(RowsChanged.class::isInstance);
    }

    @Test
    void alterSystemVersioningMariaDb() {
        assertThat(alter("ALTER TABLE t ADD SYSTEM VERSIONING")).containsExactly(new Ignored("ADD SYSTEM VERSIONING"));
        assertThat(alter("ALTER TABLE t DROP SYSTEM VERSIONING"))
                .containsExactly(new Ignored("DROP SYSTEM VERSIONING"));
    }

    // ------------------------------------------------------------------ other table DDL

    @Test
    void dropTable() {
        DropTable d = parse("DROP TEMPORARY TABLE IF EXISTS a, other.b, `c` RESTRICT", DropTable.class);
        assertThat(d.temporary()).isTrue();
        assertThat(d.ifExists()).isTrue();
        assertThat(d.tables())
                .containsExactly(new TableName("shop", "a"), new TableName("other", "b"), new TableName("shop", "c"));
        assertThat(parse("drop tables x", DropTable.class).ifExists()).isFalse();
    }

    @Test
    void renameTable() {
        RenameTable r = parse("RENAME TABLE a TO b, b TO other.c", RenameTable.class);
        assertThat(r.renames())
                .containsExactly(
                        new RenameTable.Rename(new TableName("shop", "a"), new TableName("shop", "b")),
                        new RenameTable.Rename(new TableName("shop", "b"), new TableName("other", "c")));
        assertThat(parse("RENAME TABLE IF EXISTS x WAIT 1 TO y", RenameTable.class)
                        .renames())
                .hasSize(1);
    }

    @Test
    void truncateTable() {
        assertThat(parse("TRUNCATE TABLE logs")).isEqualTo(new TruncateTable(new TableName("shop", "logs")));
        assertThat(parse("truncate x.y;")).isEqualTo(new TruncateTable(new TableName("x", "y")));
    }

    @Test
    void createAndDropIndex() {
        CreateIndex ci = parse(
                "CREATE UNIQUE INDEX uq_email USING BTREE ON users (email(50), tenant DESC) "
                        + "ALGORITHM=INPLACE LOCK=NONE",
                CreateIndex.class);
        assertThat(ci.table()).isEqualTo(new TableName("shop", "users"));
        assertThat(ci.key().kind()).isEqualTo(KeySpec.Kind.UNIQUE);
        assertThat(ci.key().name()).isEqualTo("uq_email");
        assertThat(ci.key().indexType()).isEqualTo("BTREE");
        assertThat(ci.key().parts())
                .containsExactly(
                        new KeySpec.KeyPart("email", 50, false, null), new KeySpec.KeyPart("tenant", null, true, null));
        assertThat(parse("CREATE FULLTEXT INDEX ft ON docs (body)", CreateIndex.class)
                        .key()
                        .kind())
                .isEqualTo(KeySpec.Kind.FULLTEXT);
        assertThat(parse("CREATE SPATIAL INDEX sp ON geo (g)", CreateIndex.class)
                        .key()
                        .kind())
                .isEqualTo(KeySpec.Kind.SPATIAL);
        assertThat(parse("CREATE OR REPLACE INDEX IF NOT EXISTS i ON t (a)", CreateIndex.class)
                        .ifNotExists())
                .isTrue();
        assertThat(parse("DROP INDEX `PRIMARY` ON t"))
                .isEqualTo(new DropIndex(new TableName("shop", "t"), "PRIMARY", false));
        assertThat(parse("DROP INDEX IF EXISTS i ON db2.t ALGORITHM=INPLACE"))
                .isEqualTo(new DropIndex(new TableName("db2", "t"), "i", true));
    }

    @Test
    void databases() {
        assertThat(parse("CREATE DATABASE IF NOT EXISTS `app` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
                .isEqualTo(new CreateDatabase("app", false, true, "utf8mb4", "utf8mb4_bin"));
        assertThat(parse("CREATE SCHEMA s2")).isEqualTo(new CreateDatabase("s2", false, false, null, null));
        assertThat(parse("DROP DATABASE IF EXISTS app")).isEqualTo(new DropDatabase("app", true));
        assertThat(parse("ALTER DATABASE app CHARACTER SET = latin1"))
                .isEqualTo(new AlterDatabase("app", "latin1", null));
        assertThat(parse("ALTER SCHEMA COLLATE utf8mb4_bin")).isEqualTo(new AlterDatabase("shop", null, "utf8mb4_bin"));
        assertThat(parse("CREATE DATABASE app").isTableDdl()).isFalse();
    }

    @Test
    void otherStatementsAreClassified() {
        assertThat(parse("GRANT SELECT ON shop.* TO 'u'@'%'")).isEqualTo(new Other("GRANT"));
        assertThat(parse("CREATE USER 'bob'@'localhost' IDENTIFIED BY 'pw'")).isEqualTo(new Other("CREATE USER"));
        assertThat(parse("CREATE ALGORITHM=MERGE DEFINER=`root`@`localhost` SQL SECURITY INVOKER VIEW v AS "
                        + "SELECT 1"))
                .isEqualTo(new Other("CREATE VIEW"));
        assertThat(parse("CREATE DEFINER=root@localhost TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET " + "NEW.a = 1"))
                .isEqualTo(new Other("CREATE TRIGGER"));
        assertThat(parse("DROP VIEW IF EXISTS v")).isEqualTo(new Other("DROP VIEW"));
        assertThat(parse("ALTER USER u IDENTIFIED BY 'x'")).isEqualTo(new Other("ALTER USER"));
        assertThat(parse("CREATE SEQUENCE s START WITH 1")).isEqualTo(new Other("CREATE SEQUENCE"));
        assertThat(parse("BEGIN")).isEqualTo(new Other("BEGIN"));
        assertThat(parse("ANALYZE TABLE t")).isEqualTo(new Other("ANALYZE"));
        assertThat(parse("SET @@session.sql_mode = 'ANSI'")).isEqualTo(new Other("SET"));
        assertThat(parse("LOAD INDEX INTO CACHE t")).isEqualTo(new Other("LOAD"));
        assertThat(parse("WITH c AS (SELECT 1) SELECT * FROM c")).isEqualTo(new Other("WITH"));
        assertThat(parse("  ")).isEqualTo(new Other("EMPTY"));
    }

    // ------------------------------------------------------------------ DML logged as text

    private static Dml dml(String sql) {
        return parse(sql, Dml.class);
    }

    private static TableName t(String db, String table) {
        return new TableName(db, table);
    }

    @Test
    void insertReplaceAndLoadNameTheirTarget() {
        assertThat(parse("INSERT INTO t VALUES (1, 'a)')"))
                .isEqualTo(new Dml("INSERT", List.of(t("shop", "t")), false));
        assertThat(dml("insert low_priority ignore other.t (a, b) select x, y from shop.src")
                        .tables())
                .containsExactly(t("other", "t"));
        assertThat(dml("INSERT t SET a = 1 ON DUPLICATE KEY UPDATE a = a + 1").tables())
                .containsExactly(t("shop", "t"));
        assertThat(dml("REPLACE DELAYED INTO `we ird`.`t` VALUES (1)").tables()).containsExactly(t("we ird", "t"));
        assertThat(dml("LOAD DATA LOCAL INFILE '/tmp/SQL_LOAD_MB-1-0' INTO TABLE `b` FIELDS TERMINATED BY '\\t'"
                        + " ENCLOSED BY '' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (`id`, `v`)"))
                .isEqualTo(new Dml("LOAD", List.of(t("shop", "b")), false));
        assertThat(dml("LOAD XML INFILE 'x.xml' REPLACE INTO TABLE db2.t ROWS IDENTIFIED BY '<r>'")
                        .tables())
                .containsExactly(t("db2", "t"));
        assertThat(dml("WITH s AS (SELECT 1 AS a) INSERT INTO t SELECT a FROM s")
                        .tables())
                .containsExactly(t("shop", "t"));
    }

    @Test
    void updateNamesTheTablesItAssignsTo() {
        assertThat(dml("UPDATE LOW_PRIORITY IGNORE t SET a = 1 WHERE id = 2"))
                .isEqualTo(new Dml("UPDATE", List.of(t("shop", "t")), false));
        assertThat(dml("update a, b set a.v = b.v where a.id=b.id").tables()).containsExactly(t("shop", "a"));
        assertThat(dml("UPDATE shop.a AS x JOIN other.b y ON x.id = y.id AND y.k IN (SELECT k FROM c)"
                                + " SET y.v = x.v, y.w = (SELECT 1) WHERE x.id > 0")
                        .tables())
                .containsExactly(t("other", "b"));
        assertThat(dml("UPDATE a JOIN (SELECT id FROM b) d USING (id) SET other.a.v = 1")
                        .tables())
                .containsExactly(t("shop", "a"));
        // an assignment that names no table: any of them may change
        assertThat(dml("UPDATE a LEFT OUTER JOIN (b, c) ON a.id = b.id SET v = 1")
                        .tables())
                .containsExactly(t("shop", "a"), t("shop", "b"), t("shop", "c"));
        assertThat(dml("WITH d AS (SELECT 1) UPDATE t SET a = 2").tables()).containsExactly(t("shop", "t"));
    }

    @Test
    void deleteNamesTheTablesItDeletesFrom() {
        assertThat(dml("DELETE FROM t WHERE id = 1")).isEqualTo(new Dml("DELETE", List.of(t("shop", "t")), false));
        assertThat(dml("DELETE LOW_PRIORITY QUICK IGNORE FROM other.t PARTITION (p1) ORDER BY id LIMIT 3")
                        .tables())
                .containsExactly(t("other", "t"));
        assertThat(dml("delete a from a join b on a.id=b.id where b.v>5").tables())
                .containsExactly(t("shop", "a"));
        assertThat(dml("DELETE x.*, y FROM shop.a x, other.b AS y WHERE x.id = y.id")
                        .tables())
                .containsExactly(t("shop", "a"), t("other", "b"));
        assertThat(dml("DELETE FROM a.*, other.b USING a INNER JOIN other.b INNER JOIN c WHERE a.id = b.id")
                        .tables())
                .containsExactly(t("shop", "a"), t("other", "b"));
        // a system-versioned table's history: rows no event shows
        assertThat(dml("DELETE HISTORY FROM v BEFORE SYSTEM_TIME '2024-01-01'").tables())
                .isEmpty();
    }

    @Test
    void functionCallsAndUnreadableDmlSayTheirTablesAreUnknown() {
        assertThat(parse("SELECT f(1)")).isEqualTo(new Dml("SELECT", List.of(), true));
        assertThat(parse("DO f()")).isEqualTo(new Dml("DO", List.of(), true));
        Dml broken = dml("UPDATE a JOIN b ON (a.id = b.id SET a.v = 1");
        assertThat(broken.unknownTables()).isTrue();
        assertThat(broken.tables()).containsExactly(t("shop", "a"), t("shop", "b"));
        assertThat(broken.isTableDdl()).isFalse();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void brokenStatementsAreUnparseableWithPositionAndTables() {
        DdlStatement st = parse("ALTER TABLE orders ADD COLUMN");
        assertThat(st).isInstanceOf(Unparseable.class);
        Unparseable u = (Unparseable) st;
        assertThat(u.tables()).containsExactly(new TableName("shop", "orders"));
        assertThat(u.position()).isEqualTo("ALTER TABLE orders ADD COLUMN".length());
        assertThat(u.reason()).contains("column name");
        assertThat(parse("CREATE TABLE t (a INT")).isInstanceOf(Unparseable.class);
        assertThat(parse("CREATE TABLE t (a VARCHAR)")).isInstanceOf(Unparseable.class);
        assertThat(parse("CREATE TABLE t (a INT) 'junk'")).isInstanceOf(Unparseable.class);
        assertThat(parse("CREATE TABLE t (a INT DEFAULT 'x)")).isInstanceOf(Unparseable.class);
        assertThat(parse("CREATE TABLE t (a INT) /* open")).isInstanceOf(Unparseable.class);
        assertThat(parse("FROBNICATE TABLE t")).isInstanceOf(Unparseable.class);
        assertThat(parse("GRANT SELECT ON (t")).isInstanceOf(Unparseable.class);
        assertThat(parse("ALTER TABLE t FROB x")).isInstanceOf(Unparseable.class);
        assertThat(DdlParser.parse(null, null)).isInstanceOf(Unparseable.class);
    }

    @Test
    void indexNamedTypeAndOldTypeClause() {
        TableSpec t = create("CREATE TABLE tn (type INT, KEY type (type), KEY k2 TYPE BTREE (type))");
        assertThat(t.keys()).extracting(KeySpec::name).containsExactly("type", "k2");
        assertThat(t.keys().get(1).indexType()).isEqualTo("BTREE");
        assertThat(alter("ALTER TABLE t DISCARD TABLESPACE")).containsExactly(new Ignored("DISCARD TABLESPACE"));
    }

    @Test
    void mysql8BinlogForms() {
        assertThat(parse("CREATE DATABASE `b` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ "
                        + "/*!80016 DEFAULT ENCRYPTION='N' */"))
                .isEqualTo(new CreateDatabase("b", false, false, "utf8mb4", "utf8mb4_0900_ai_ci"));
        assertThat(parse("DROP TABLE `a`,`b` /* generated by server */", DropTable.class)
                        .tables())
                .hasSize(2);
        assertThat(alter("ALTER TABLE t RENAME COLUMN a TO b, ALGORITHM=INSTANT"))
                .containsExactly(new RenameColumn("a", "b"), new Ignored("ALGORITHM=INSTANT"));
    }

    // ------------------------------------------------------------------ sql_mode

    @Test
    void ansiQuotesMakeDoubleQuotedWordsIdentifiers() {
        SqlMode ansi = SqlMode.of(SqlMode.ANSI_QUOTES);
        DdlStatement st = DdlParser.parse(
                "ALTER TABLE \"db\".\"c\" ADD COLUMN \"q col\" INT DEFAULT 1 COMMENT 'it''s'", "shop", ansi);
        assertThat(st).isInstanceOf(AlterTable.class);
        AlterTable a = (AlterTable) st;
        assertThat(a.table()).isEqualTo(t("db", "c"));
        AddColumns add = (AddColumns) a.actions().get(0);
        assertThat(add.columns().get(0).name()).isEqualTo("q col");
        assertThat(add.columns().get(0).comment()).isEqualTo("it's");
        // without the mode the same text is not a statement about db.c: that is what made it "unparseable"
        assertThat(DdlParser.parse("ALTER TABLE \"db\".\"c\" ADD COLUMN \"q col\" INT", "shop"))
                .isInstanceOf(Unparseable.class);
        CreateTable c = (CreateTable)
                DdlParser.parse("CREATE TABLE \"t\" (\"a\"\"b\" INT, \"id\" INT PRIMARY KEY)", "shop", ansi);
        assertThat(c.spec().columns()).extracting(ColumnSpec::name).containsExactly("a\"b", "id");
        assertThat(DdlParser.parse("DROP TABLE \"x\".\"y\"", "shop", ansi))
                .isEqualTo(new DropTable(List.of(t("x", "y")), false, false));
        assertThat(((Unparseable) DdlParser.parse("DROP TABLE \"x", "shop", ansi)).reason())
                .isEqualTo("unterminated quoted identifier");
    }

    @Test
    void noBackslashEscapesKeepsBackslashesInStrings() {
        String sql = "ALTER TABLE t ADD COLUMN p VARCHAR(9) DEFAULT 'C:\\' COMMENT 'x'";
        AddColumns plain = (AddColumns) alter("ALTER TABLE t ADD COLUMN p VARCHAR(9) DEFAULT 'C:\\\\' COMMENT 'x'")
                .get(0);
        assertThat(plain.columns().get(0).defaultValue().text()).isEqualTo("C:\\");
        AlterTable a = (AlterTable) DdlParser.parse(sql, "shop", SqlMode.of(SqlMode.NO_BACKSLASH_ESCAPES));
        ColumnSpec p = ((AddColumns) a.actions().get(0)).columns().get(0);
        assertThat(p.defaultValue().text()).isEqualTo("C:\\");
        assertThat(p.comment()).isEqualTo("x");
        // read with escapes, the same text runs the string on past its end
        assertThat(DdlParser.parse(sql, "shop")).isInstanceOf(Unparseable.class);
    }
}
