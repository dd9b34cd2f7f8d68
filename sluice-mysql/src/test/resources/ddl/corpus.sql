-- Sluice DDL corpus: one statement per entry, entries separated by a line holding only ";;".
-- Written for Sluice's parser tests; covers MySQL 5.7/8.x and MariaDB 10.x/11.x syntax.
CREATE TABLE customers (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(191) NOT NULL,
  full_name VARCHAR(120) DEFAULT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY uq_customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
;;
CREATE TABLE `orders` (
  `order_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  `customer_id` int(10) unsigned NOT NULL,
  `status` enum('pending','paid','shipped','cancelled') NOT NULL DEFAULT 'pending',
  `total` decimal(12,2) NOT NULL DEFAULT '0.00',
  `placed_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`order_id`),
  KEY `idx_orders_customer` (`customer_id`),
  CONSTRAINT `fk_orders_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB AUTO_INCREMENT=1001 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci
;;
CREATE TABLE IF NOT EXISTS audit_log (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  actor VARCHAR(64) NOT NULL,
  action VARCHAR(32) NOT NULL,
  payload JSON,
  at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
)
;;
create table t_lower (a int, b char(10), c text)
;;
CREATE TABLE inventory.stock_levels (sku CHAR(12) NOT NULL PRIMARY KEY, qty INT NOT NULL DEFAULT 0, warehouse SMALLINT UNSIGNED NOT NULL) ENGINE=InnoDB
;;
CREATE TABLE numbers_demo (
  t TINYINT, ts TINYINT(3) UNSIGNED ZEROFILL, s SMALLINT(6), m MEDIUMINT(8) UNSIGNED,
  i INT(11), ig INTEGER, b BIGINT(20) SIGNED, i1 INT1, i2 INT2, i3 INT3, i4 INT4, i8 INT8, mi MIDDLEINT
)
;;
CREATE TABLE decimals_demo (a DECIMAL, b DECIMAL(5), c DECIMAL(65,30), d NUMERIC(10,4), e DEC(6,2) UNSIGNED ZEROFILL, f FIXED(9,3))
;;
CREATE TABLE floats_demo (a FLOAT, b FLOAT(7,3), c FLOAT(24), d FLOAT(53), e DOUBLE, f DOUBLE PRECISION, g REAL, h DOUBLE(16,4) UNSIGNED, i FLOAT4, j FLOAT8)
;;
CREATE TABLE bits_demo (flags BIT(64) NOT NULL DEFAULT b'0', one_bit BIT, active BOOL DEFAULT TRUE, deleted BOOLEAN NOT NULL DEFAULT FALSE, mask BIT(8) DEFAULT 0x0F)
;;
CREATE TABLE serial_demo (id SERIAL, name VARCHAR(20))
;;
CREATE TABLE chars_demo (
  c1 CHAR(1) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
  c2 VARCHAR(255) CHARSET utf8mb4 COLLATE utf8mb4_unicode_520_ci NOT NULL,
  c3 NATIONAL CHAR(10),
  c4 NCHAR(5),
  c5 NVARCHAR(40),
  c6 NATIONAL VARCHAR(30),
  c7 NCHAR VARCHAR(12),
  c8 CHARACTER VARYING(60),
  c9 CHAR VARYING(15),
  c10 VARCHAR(8) BINARY,
  c11 CHAR(2) ASCII,
  c12 VARCHAR(4) UNICODE
)
;;
CREATE TABLE binary_demo (h BINARY(16) NOT NULL, vb VARBINARY(3072), tb TINYBLOB, b BLOB, mb MEDIUMBLOB, lb LONGBLOB, b2 BLOB(2048), lvb LONG VARBINARY)
;;
CREATE TABLE text_demo (tt TINYTEXT, t TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, mt MEDIUMTEXT NOT NULL, lt LONGTEXT, t2 TEXT(500), lv LONG VARCHAR, l LONG)
;;
CREATE TABLE enum_demo (
  mood ENUM('happy','sad','it''s complicated','a, b, c','back\\slash') NOT NULL DEFAULT 'happy',
  perms SET('read','write','exec') DEFAULT 'read,write',
  size ENUM("S","M","L","XL") CHARACTER SET ascii
)
;;
CREATE TABLE time_demo (d DATE, t TIME, t3 TIME(3), dt DATETIME, dt6 DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), ts TIMESTAMP NULL, ts2 TIMESTAMP(2) NULL DEFAULT NULL, y YEAR, y4 YEAR(4))
;;
CREATE TABLE geo_places (
  id INT PRIMARY KEY,
  loc POINT NOT NULL SRID 4326,
  area POLYGON,
  route LINESTRING,
  mp MULTIPOINT,
  ml MULTILINESTRING,
  mpoly MULTIPOLYGON,
  gc GEOMETRYCOLLECTION,
  g GEOMETRY,
  SPATIAL INDEX sp_loc (loc)
) ENGINE=InnoDB
;;
CREATE TABLE json_docs (id INT AUTO_INCREMENT PRIMARY KEY, doc JSON NOT NULL, tags JSON DEFAULT (JSON_ARRAY()), meta JSON CHECK (JSON_VALID(meta)))
;;
CREATE TABLE net_devices (id INT PRIMARY KEY, v4 INET4, v6 INET6 NOT NULL, uid UUID DEFAULT UUID())
;;
CREATE TABLE gen_cols (
  price DECIMAL(10,2) NOT NULL,
  qty INT NOT NULL,
  total DECIMAL(12,2) GENERATED ALWAYS AS (price * qty) STORED,
  label VARCHAR(64) AS (CONCAT('item (', qty, ')')) VIRTUAL,
  heavy TINYINT AS (IF(qty > 100, 1, 0)),
  nested INT AS (((qty + 1) * (qty - 1)) DIV 2) PERSISTENT
)
;;
CREATE TABLE defaults_demo (
  a INT DEFAULT -1,
  b INT DEFAULT +7,
  c VARCHAR(20) DEFAULT _utf8mb4'hello',
  d VARCHAR(20) DEFAULT 'multi' 'part',
  e DOUBLE DEFAULT 2.5E-3,
  f CHAR(36) DEFAULT (UUID()),
  g DATE DEFAULT (CURRENT_DATE),
  h DATETIME DEFAULT NOW(),
  i TIMESTAMP DEFAULT LOCALTIMESTAMP,
  j VARCHAR(10) DEFAULT "dq",
  k INT DEFAULT NULL,
  l BINARY(4) DEFAULT X'DEADBEEF'
)
;;
CREATE TABLE attrs_demo (
  id INT NOT NULL COMMENT 'identifier',
  secret VARCHAR(50) INVISIBLE,
  shown INT VISIBLE,
  fmt TEXT COLUMN_FORMAT COMPRESSED,
  mem INT STORAGE MEMORY,
  age TINYINT UNSIGNED CHECK (age < 150),
  score INT CONSTRAINT score_range CHECK (score BETWEEN 0 AND 100) ENFORCED,
  PRIMARY KEY (id)
)
;;
CREATE TABLE keys_demo (
  id INT NOT NULL,
  tenant INT NOT NULL,
  slug VARCHAR(200) NOT NULL,
  body TEXT,
  parent_id INT,
  CONSTRAINT pk_keys PRIMARY KEY (tenant, id),
  CONSTRAINT uq_slug UNIQUE INDEX ix_slug USING BTREE (tenant, slug(100)),
  INDEX ix_parent (parent_id) COMMENT 'parent lookups',
  KEY ix_desc (id DESC, tenant ASC) INVISIBLE,
  FULLTEXT INDEX ft_body (body),
  FOREIGN KEY fk_parent_idx (tenant, parent_id) REFERENCES keys_demo (tenant, id) ON UPDATE RESTRICT ON DELETE NO ACTION
)
;;
CREATE TABLE functional_idx (a INT, b INT, INDEX ((a + b)), INDEX idx_expr ((ABS(a)) DESC))
;;
CREATE TABLE fk_many (
  a INT, b INT,
  CONSTRAINT fk1 FOREIGN KEY (a) REFERENCES other_db.parent (id) MATCH FULL ON DELETE SET DEFAULT,
  CONSTRAINT FOREIGN KEY (b) REFERENCES parent2 (id) ON DELETE RESTRICT ON UPDATE SET NULL
)
;;
CREATE TABLE copy_of_orders LIKE orders
;;
CREATE TABLE IF NOT EXISTS archive.orders_2023 LIKE shop.orders
;;
CREATE TABLE paren_like (LIKE customers)
;;
CREATE TABLE order_totals AS SELECT customer_id, SUM(total) AS spent FROM orders GROUP BY customer_id
;;
CREATE TABLE order_totals2 (rank_no INT) SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id
;;
CREATE TABLE ctas_ignore IGNORE SELECT id, email FROM customers
;;
CREATE TABLE ctas_replace (PRIMARY KEY (id)) REPLACE SELECT id, email FROM customers
;;
CREATE TEMPORARY TABLE tmp_ids (id INT PRIMARY KEY) ENGINE=MEMORY
;;
CREATE TEMPORARY TABLE IF NOT EXISTS tmp_calc AS SELECT 1 AS one, 'two' AS two
;;
CREATE TABLE `odd names` (`select` INT, `from` VARCHAR(10), `a``b` INT, `ünïcödé` TEXT, `123abc` INT)
;;
CREATE TABLE `db-with-dash`.`table.with.dots` (id INT)
;;
CREATE TABLE mixedCase (Id INT, UserName VARCHAR(50), CreatedAt DATETIME)
;;
CREATE TABLE keyword_cols (status INT, type VARCHAR(10), comment TEXT, date DATE, time TIME, timestamp TIMESTAMP, year YEAR, data JSON, name VARCHAR(10), value INT, text TEXT, position INT, level INT, action VARCHAR(5))
;;
CREATE TABLE opt_demo (a INT) ENGINE=MyISAM ROW_FORMAT=FIXED CHECKSUM=1 DELAY_KEY_WRITE=1 PACK_KEYS=DEFAULT MAX_ROWS=1000000 MIN_ROWS=10 AVG_ROW_LENGTH=50
;;
CREATE TABLE opt_demo2 (a INT) ENGINE = InnoDB, ROW_FORMAT = COMPRESSED, KEY_BLOCK_SIZE = 8, COMMENT = 'compressed table', STATS_PERSISTENT = 1, STATS_AUTO_RECALC = 0, STATS_SAMPLE_PAGES = 25
;;
CREATE TABLE opt_demo3 (a INT) DEFAULT CHARACTER SET = latin1 DEFAULT COLLATE = latin1_general_cs TABLESPACE innodb_file_per_table ENCRYPTION='N'
;;
CREATE TABLE merged (a INT) ENGINE=MERGE UNION=(log_2022, log_2023) INSERT_METHOD=LAST
;;
CREATE TABLE dir_demo (a INT) DATA DIRECTORY = '/srv/mysql/data' INDEX DIRECTORY = '/srv/mysql/idx'
;;
CREATE TABLE compression_demo (a TEXT) COMPRESSION='zlib' AUTOEXTEND_SIZE=4M
;;
CREATE TABLE aria_demo (a INT) ENGINE=Aria TRANSACTIONAL=1 PAGE_CHECKSUM=1 ROW_FORMAT=PAGE
;;
CREATE TABLE enc_demo (a INT) ENGINE=InnoDB ENCRYPTED=YES ENCRYPTION_KEY_ID=2 PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=6
;;
CREATE TABLE connect_demo (id INT, name VARCHAR(20)) ENGINE=CONNECT TABLE_TYPE=CSV FILE_NAME='people.csv' HEADER=1
;;
CREATE TABLE range_parts (
  id INT NOT NULL,
  created DATE NOT NULL,
  PRIMARY KEY (id, created)
) ENGINE=InnoDB
PARTITION BY RANGE (YEAR(created)) (
  PARTITION p2021 VALUES LESS THAN (2022),
  PARTITION p2022 VALUES LESS THAN (2023),
  PARTITION pmax VALUES LESS THAN MAXVALUE
)
;;
CREATE TABLE hash_parts (id BIGINT NOT NULL PRIMARY KEY, v INT) PARTITION BY HASH (id) PARTITIONS 8
;;
CREATE TABLE key_parts (id INT NOT NULL, k VARCHAR(10) NOT NULL, PRIMARY KEY (id, k)) PARTITION BY LINEAR KEY (k) PARTITIONS 4
;;
CREATE TABLE list_parts (region INT NOT NULL, name VARCHAR(20)) PARTITION BY LIST (region) (PARTITION north VALUES IN (1, 2, 3), PARTITION south VALUES IN (4, 5) COMMENT = 'south, (west)')
;;
CREATE TABLE sub_parts (id INT, d DATE) PARTITION BY RANGE (YEAR(d)) SUBPARTITION BY HASH (TO_DAYS(d)) SUBPARTITIONS 2 (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN MAXVALUE)
;;
CREATE TABLE cols_parts (a INT, b VARCHAR(5)) PARTITION BY RANGE COLUMNS (a, b) (PARTITION p0 VALUES LESS THAN (10, 'm'), PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE))
;;
CREATE TABLE versioned (id INT PRIMARY KEY, price DECIMAL(8,2)) WITH SYSTEM VERSIONING
;;
CREATE TABLE versioned_explicit (
  id INT,
  row_start TIMESTAMP(6) GENERATED ALWAYS AS ROW START INVISIBLE,
  row_end TIMESTAMP(6) GENERATED ALWAYS AS ROW END INVISIBLE,
  PERIOD FOR SYSTEM_TIME(row_start, row_end)
) WITH SYSTEM VERSIONING
;;
CREATE TABLE versioned_trx (id INT, trx_start BIGINT UNSIGNED AS ROW START, trx_end BIGINT UNSIGNED AS ROW END, PERIOD FOR SYSTEM_TIME(trx_start, trx_end)) WITH SYSTEM VERSIONING ENGINE=InnoDB
;;
CREATE TABLE versioned_parts (x INT) WITH SYSTEM VERSIONING PARTITION BY SYSTEM_TIME INTERVAL 1 MONTH (PARTITION p_hist HISTORY, PARTITION p_cur CURRENT)
;;
CREATE TABLE partly_versioned (a INT, b INT WITHOUT SYSTEM VERSIONING) WITH SYSTEM VERSIONING
;;
CREATE TABLE app_periods (id INT, valid_from DATE, valid_to DATE, PERIOD FOR valid_period(valid_from, valid_to), UNIQUE (id, valid_period WITHOUT OVERLAPS))
;;
CREATE OR REPLACE TABLE replaced (a INT NOT NULL, b VARCHAR(3) COMPRESSED)
;;
CREATE OR REPLACE TEMPORARY TABLE scratch (k VARCHAR(40) PRIMARY KEY, v BLOB COMPRESSED=zlib)
;;
CREATE TABLE IF NOT EXISTS maria_flags (a INT, KEY IF NOT EXISTS k_a (a))
;;
CREATE TABLE check_table (
  a INT, b INT,
  CONSTRAINT chk_order CHECK (a < b),
  CHECK (a > 0),
  CONSTRAINT CHECK (b IS NOT NULL) NOT ENFORCED
)
;;
CREATE TABLE ai_start (id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) AUTO_INCREMENT = 500
;;
CREATE TABLE comment_heavy ( -- columns follow
  id INT, # hash comment
  /* block comment */ name VARCHAR(30) /* trailing */,
  note TEXT -- last
)
;;
/* leading block comment */ CREATE TABLE after_comment (x INT)
;;
CREATE TABLE exec_comments (a INT, b INT /*!80023 INVISIBLE */) /*!50100 PARTITION BY HASH (a) PARTITIONS 2 */
;;
/*!40101 SET @saved_cs_client = @@character_set_client */
;;
/*!50503 SET character_set_client = utf8mb4 */
;;
CREATE TABLE dump_style (
  `id` int NOT NULL AUTO_INCREMENT,
  `title` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL,
  `body` longtext COLLATE utf8mb4_unicode_ci,
  `views` int unsigned NOT NULL DEFAULT '0',
  `published` tinyint(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`),
  KEY `posts_published_index` (`published`)
) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
;;
CREATE TABLE maria_dump (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `ts` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  `d` datetime DEFAULT NULL,
  `note` varchar(100) DEFAULT '',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
;;
CREATE TABLE escapes_ok (s VARCHAR(20) DEFAULT 'tab\there', n VARCHAR(20) DEFAULT 'line\nbreak', q VARCHAR(20) DEFAULT 'quote\'s', d VARCHAR(20) DEFAULT "say ""hi""")
;;
CREATE TABLE hex_defaults (a VARBINARY(8) DEFAULT 0xCAFEBABE, b BIT(3) DEFAULT b'101', c BINARY(2) DEFAULT x'00FF')
;;
CREATE TABLE national_str (a VARCHAR(10) DEFAULT N'national')
;;
CREATE TABLE expr_defaults (a INT DEFAULT (1 + 2 * 3), b VARCHAR(30) DEFAULT (CONCAT('a', '-', 'b')), c DATETIME DEFAULT (NOW() + INTERVAL 1 HOUR), d DOUBLE DEFAULT (RAND()), e JSON DEFAULT (JSON_OBJECT('k', 1)))
;;
CREATE TABLE maria_expr_defaults (a INT DEFAULT 1 + 1, b DATETIME DEFAULT CURRENT_TIMESTAMP + INTERVAL 1 DAY, c VARCHAR(40) DEFAULT CONCAT('x', 'y'), d INT DEFAULT -(3))
;;
CREATE TABLE on_update_variants (a TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE NOW(), b DATETIME(3) ON UPDATE LOCALTIME(3), c TIMESTAMP DEFAULT '2000-01-01 00:00:00')
;;
CREATE TABLE ucs (a CHAR(10) CHARACTER SET ucs2, b VARCHAR(10) CHARACTER SET utf16 COLLATE utf16_bin, c TEXT CHARACTER SET binary)
;;
CREATE TABLE col_charset_after (a VARCHAR(10) NOT NULL CHARACTER SET latin1, b VARCHAR(10) NULL COLLATE latin1_bin DEFAULT 'x')
;;
CREATE TABLE plugin_type (v VECTOR(3), x INT)
;;
CREATE TABLE key_only (id INT KEY, other INT UNIQUE)
;;
CREATE TABLE hash_idx (k VARCHAR(20), v INT, KEY USING HASH (k)) ENGINE=MEMORY
;;
CREATE TABLE idx_opts (a INT, b TEXT, KEY ka (a) KEY_BLOCK_SIZE=4, FULLTEXT KEY fb (b) WITH PARSER ngram COMMENT 'ngram index')
;;
CREATE TABLE ignored_idx (a INT, KEY ka (a) IGNORED, KEY kb (a) NOT IGNORED)
;;
CREATE TABLE ctas_with (id INT) AS WITH cte AS (SELECT 1 AS id) SELECT id FROM cte
;;
CREATE TABLE ctas_paren AS (SELECT 1 AS x UNION SELECT 2)
;;
CREATE TABLE atomic_ctas (`a` int DEFAULT NULL) START TRANSACTION
;;
CREATE TABLE `weird`.`t` (`c` int) ENGINE=InnoDB DEFAULT CHARSET=latin1 /* generated */
;;
CREATE TABLE semicolon_end (a INT);
;;
CREATE TABLE sequence_like (next_not_cached_value BIGINT NOT NULL, minimum_value BIGINT NOT NULL, maximum_value BIGINT NOT NULL, start_value BIGINT NOT NULL, increment BIGINT NOT NULL, cache_size BIGINT UNSIGNED NOT NULL, cycle_option TINYINT UNSIGNED NOT NULL, cycle_count BIGINT NOT NULL) SEQUENCE=1
;;
ALTER TABLE customers ADD COLUMN phone VARCHAR(32) NULL AFTER email
;;
ALTER TABLE customers ADD COLUMN tier TINYINT NOT NULL DEFAULT 1 FIRST
;;
ALTER TABLE customers ADD loyalty_points INT UNSIGNED NOT NULL DEFAULT 0
;;
ALTER TABLE customers ADD (street VARCHAR(100), city VARCHAR(60), zip CHAR(10))
;;
ALTER TABLE customers ADD COLUMN (country CHAR(2) NOT NULL DEFAULT 'US', INDEX ix_country (country))
;;
ALTER TABLE customers DROP COLUMN phone
;;
ALTER TABLE customers DROP loyalty_points, DROP COLUMN zip
;;
ALTER TABLE customers MODIFY full_name VARCHAR(200) NOT NULL
;;
ALTER TABLE customers MODIFY COLUMN tier SMALLINT UNSIGNED NOT NULL DEFAULT 1 AFTER id
;;
ALTER TABLE customers CHANGE full_name display_name VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
;;
ALTER TABLE customers CHANGE COLUMN `city` `town` VARCHAR(80) DEFAULT NULL FIRST
;;
ALTER TABLE customers RENAME COLUMN town TO city
;;
ALTER TABLE customers ALTER COLUMN country SET DEFAULT 'DE'
;;
ALTER TABLE customers ALTER country DROP DEFAULT
;;
ALTER TABLE customers ALTER COLUMN created_at SET DEFAULT (CURRENT_TIMESTAMP)
;;
ALTER TABLE customers ADD UNIQUE INDEX uq_phone (phone)
;;
ALTER TABLE customers ADD INDEX ix_name (display_name(20))
;;
ALTER TABLE customers ADD KEY (created_at)
;;
ALTER TABLE customers DROP INDEX ix_name
;;
ALTER TABLE customers DROP KEY uq_phone
;;
ALTER TABLE customers DROP PRIMARY KEY, ADD PRIMARY KEY (id, email)
;;
ALTER TABLE orders ADD CONSTRAINT fk_orders_cust2 FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT
;;
ALTER TABLE orders DROP FOREIGN KEY fk_orders_customer
;;
ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0)
;;
ALTER TABLE orders DROP CHECK chk_total
;;
ALTER TABLE orders DROP CONSTRAINT fk_orders_cust2
;;
ALTER TABLE orders ALTER CHECK chk_total NOT ENFORCED
;;
ALTER TABLE orders ADD FULLTEXT INDEX ft_notes (notes)
;;
ALTER TABLE geo_places ADD SPATIAL INDEX sp_area (area)
;;
ALTER TABLE orders RENAME TO orders_old
;;
ALTER TABLE orders_old RENAME AS orders
;;
ALTER TABLE orders RENAME archive.orders_2024
;;
ALTER TABLE orders RENAME INDEX idx_orders_customer TO ix_customer
;;
ALTER TABLE orders RENAME KEY ix_customer TO idx_customer
;;
ALTER TABLE orders CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
;;
ALTER TABLE orders CONVERT TO CHARSET latin1
;;
ALTER TABLE orders DEFAULT CHARACTER SET utf8mb4
;;
ALTER TABLE orders CHARACTER SET = utf8mb4, COLLATE = utf8mb4_bin
;;
ALTER TABLE orders DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci
;;
ALTER TABLE orders ENGINE=InnoDB
;;
ALTER TABLE orders ENGINE = MyISAM, ROW_FORMAT = DYNAMIC
;;
ALTER TABLE orders COMMENT = 'customer orders'
;;
ALTER TABLE orders AUTO_INCREMENT = 5000
;;
ALTER TABLE orders FORCE
;;
ALTER TABLE orders ADD COLUMN shipped_at DATETIME NULL, ALGORITHM=INSTANT
;;
ALTER TABLE orders ADD INDEX ix_status (status), ALGORITHM=INPLACE, LOCK=NONE
;;
ALTER TABLE orders LOCK = SHARED, ALGORITHM = COPY, MODIFY total DECIMAL(14,2) NOT NULL
;;
ALTER TABLE orders ORDER BY placed_at DESC
;;
ALTER TABLE orders DISABLE KEYS
;;
ALTER TABLE orders ENABLE KEYS
;;
ALTER TABLE orders DISCARD TABLESPACE
;;
ALTER TABLE orders IMPORT TABLESPACE
;;
ALTER TABLE orders ALTER INDEX ix_status INVISIBLE
;;
ALTER TABLE orders ALTER INDEX ix_status VISIBLE
;;
ALTER TABLE orders ALTER COLUMN notes SET INVISIBLE
;;
ALTER TABLE orders ADD COLUMN internal_ref VARCHAR(20) INVISIBLE
;;
ALTER TABLE orders ADD COLUMN total_with_tax DECIMAL(12,2) AS (total * 1.2) VIRTUAL AFTER total
;;
ALTER TABLE orders ADD COLUMN doc JSON, ADD COLUMN doc_id INT GENERATED ALWAYS AS (doc->>'$.id') STORED, ADD INDEX ix_doc_id (doc_id)
;;
ALTER TABLE range_parts ADD PARTITION (PARTITION p2023 VALUES LESS THAN (2024))
;;
ALTER TABLE range_parts DROP PARTITION p2021, p2022
;;
ALTER TABLE range_parts TRUNCATE PARTITION pmax
;;
ALTER TABLE range_parts REORGANIZE PARTITION pmax INTO (PARTITION p2024 VALUES LESS THAN (2025), PARTITION pmax VALUES LESS THAN MAXVALUE)
;;
ALTER TABLE hash_parts COALESCE PARTITION 2
;;
ALTER TABLE range_parts EXCHANGE PARTITION p2021 WITH TABLE range_archive WITHOUT VALIDATION
;;
ALTER TABLE range_parts ANALYZE PARTITION p2022, p2023
;;
ALTER TABLE range_parts REBUILD PARTITION ALL
;;
ALTER TABLE range_parts REMOVE PARTITIONING
;;
ALTER TABLE plain_t PARTITION BY KEY (id) PARTITIONS 3
;;
ALTER TABLE range_parts CONVERT PARTITION p2021 TO TABLE p2021_archive
;;
ALTER TABLE versioned ADD SYSTEM VERSIONING
;;
ALTER TABLE versioned DROP SYSTEM VERSIONING
;;
ALTER TABLE versioned ADD PERIOD FOR SYSTEM_TIME(row_start, row_end)
;;
ALTER TABLE versioned DROP PERIOD FOR SYSTEM_TIME
;;
ALTER TABLE IF EXISTS maybe_missing ADD COLUMN IF NOT EXISTS extra INT
;;
ALTER TABLE maria_flags DROP COLUMN IF EXISTS gone, DROP INDEX IF EXISTS k_gone
;;
ALTER TABLE maria_flags ADD INDEX IF NOT EXISTS k_b (b), ADD UNIQUE KEY IF NOT EXISTS uq_b (b)
;;
ALTER TABLE maria_flags MODIFY COLUMN IF EXISTS b BIGINT
;;
ALTER TABLE maria_flags CHANGE COLUMN IF EXISTS b b2 BIGINT NOT NULL
;;
ALTER TABLE maria_flags DROP FOREIGN KEY IF EXISTS fk_x
;;
ALTER TABLE maria_flags DROP CONSTRAINT IF EXISTS chk_x
;;
ALTER ONLINE TABLE maria_flags ADD COLUMN c INT
;;
ALTER IGNORE TABLE maria_flags ADD UNIQUE (c)
;;
ALTER TABLE maria_flags WAIT 10 ADD COLUMN d INT
;;
ALTER TABLE maria_flags NOWAIT DROP COLUMN d
;;
ALTER TABLE maria_flags ADD COLUMN e VARCHAR(200) COMPRESSED
;;
ALTER TABLE maria_flags ALTER INDEX k_b IGNORED
;;
ALTER TABLE `shop`.`customers` ADD COLUMN `note` TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
;;
alter table customers add column lower_case int after id
;;
ALTER TABLE customers
  ADD COLUMN a1 INT,
  ADD COLUMN a2 INT AFTER a1,
  DROP COLUMN street,
  MODIFY COLUMN city VARCHAR(120),
  ADD INDEX ix_a (a1, a2)
;;
ALTER TABLE customers /* inline comment */ ADD COLUMN c1 INT -- trailing comment
;;
ALTER TABLE t1 ADD COLUMN flags SET('a','b','c') NOT NULL DEFAULT ''
;;
ALTER TABLE t1 MODIFY COLUMN status ENUM('new','active','closed','it''s odd') NOT NULL
;;
ALTER TABLE t1 MODIFY c VARCHAR(10) CHARACTER SET latin1 BINARY
;;
ALTER TABLE t1 ADD COLUMN ts TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
;;
ALTER TABLE t1 ADD COLUMN pt POINT NOT NULL SRID 0, ADD SPATIAL KEY (pt)
;;
ALTER TABLE t1 ADD CONSTRAINT pk_t1 PRIMARY KEY USING BTREE (id)
;;
ALTER TABLE t1 ADD CONSTRAINT uq_t1_code UNIQUE KEY (code)
;;
ALTER TABLE t1 ADD FOREIGN KEY (parent) REFERENCES t1 (id)
;;
ALTER TABLE t1 WITH VALIDATION
;;
ALTER TABLE t1 ADD COLUMN big SERIAL
;;
ALTER TABLE t1 ADD COLUMN id6 INET6 NOT NULL, ADD COLUMN u UUID
;;
ALTER TABLE t1 ADD COLUMN g GEOMETRY NOT NULL REF_SYSTEM_ID=4326
;;
ALTER TABLE t1 KEY_BLOCK_SIZE=0 ROW_FORMAT=DEFAULT
;;
ALTER TABLE t1 STATS_PERSISTENT=DEFAULT, STATS_SAMPLE_PAGES=DEFAULT
;;
ALTER TABLE t1 TABLESPACE ts1
;;
ALTER TABLE t1 ADD COLUMN c_check INT CHECK (c_check <> 0)
;;
ALTER TABLE t1
;;
ALTER TABLE t1 /*!50100 PARTITION BY HASH (id) PARTITIONS 4 */
;;
DROP TABLE customers
;;
DROP TABLE IF EXISTS `orders`, `order_items`
;;
DROP TABLE `shop`.`audit_log` /* generated by server */
;;
DROP TEMPORARY TABLE IF EXISTS tmp_ids
;;
DROP TABLES a, b, c RESTRICT
;;
DROP TABLE IF EXISTS old_stuff CASCADE
;;
DROP TABLE t WAIT 5
;;
drop table if exists `x`;
;;
RENAME TABLE customers TO clients
;;
RENAME TABLE a TO tmp, b TO a, tmp TO b
;;
RENAME TABLE shop.orders TO archive.orders
;;
RENAME TABLES x TO y
;;
RENAME TABLE IF EXISTS maybe TO definitely
;;
TRUNCATE TABLE audit_log
;;
TRUNCATE orders
;;
TRUNCATE TABLE `archive`.`orders_2023`
;;
CREATE INDEX ix_email ON customers (email)
;;
CREATE UNIQUE INDEX uq_code ON products (code) USING BTREE
;;
CREATE FULLTEXT INDEX ft_desc ON products (description)
;;
CREATE SPATIAL INDEX sp_location ON stores (location)
;;
CREATE INDEX ix_multi ON orders (customer_id, placed_at DESC) ALGORITHM = INPLACE LOCK = NONE
;;
CREATE INDEX ix_prefix USING HASH ON lookups (k(10))
;;
CREATE INDEX ix_func ON orders ((YEAR(placed_at)))
;;
CREATE OR REPLACE INDEX ix_r ON t (a)
;;
CREATE INDEX IF NOT EXISTS ix_ine ON t (b) COMMENT 'maybe'
;;
CREATE ONLINE INDEX ix_online ON t (c)
;;
DROP INDEX ix_email ON customers
;;
DROP INDEX `PRIMARY` ON t
;;
DROP INDEX IF EXISTS ix_r ON t
;;
DROP INDEX ix_multi ON shop.orders ALGORITHM=INPLACE LOCK=DEFAULT
;;
CREATE DATABASE shop
;;
CREATE DATABASE IF NOT EXISTS `analytics` DEFAULT CHARACTER SET utf8mb4 DEFAULT COLLATE utf8mb4_0900_ai_ci
;;
CREATE SCHEMA reporting CHARACTER SET = latin1
;;
CREATE DATABASE secure_db DEFAULT ENCRYPTION = 'Y'
;;
CREATE OR REPLACE DATABASE scratch COMMENT 'temporary work'
;;
/*!40000 CREATE DATABASE IF NOT EXISTS `dumped` */
;;
ALTER DATABASE shop CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
;;
ALTER SCHEMA analytics DEFAULT COLLATE = utf8mb4_bin
;;
ALTER DATABASE CHARACTER SET latin1
;;
ALTER DATABASE shop READ ONLY = 1
;;
DROP DATABASE old_shop
;;
DROP SCHEMA IF EXISTS `reporting`
;;
GRANT SELECT, INSERT ON shop.* TO 'app'@'%'
;;
GRANT ALL PRIVILEGES ON *.* TO `admin`@`localhost` WITH GRANT OPTION
;;
REVOKE INSERT ON shop.customers FROM 'app'@'%'
;;
CREATE USER IF NOT EXISTS 'reader'@'10.0.%' IDENTIFIED BY 's3cret' PASSWORD EXPIRE NEVER
;;
ALTER USER 'reader'@'10.0.%' IDENTIFIED WITH caching_sha2_password BY 'new'
;;
DROP USER IF EXISTS 'reader'@'10.0.%'
;;
RENAME USER 'old'@'%' TO 'new'@'%'
;;
CREATE ROLE analyst
;;
SET PASSWORD FOR 'app'@'%' = 'pw'
;;
CREATE VIEW active_customers AS SELECT id, email FROM customers WHERE tier > 0
;;
CREATE OR REPLACE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v_orders` AS select `o`.`order_id` AS `order_id` from `orders` `o`
;;
/*!50001 CREATE ALGORITHM=UNDEFINED */ /*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */ /*!50001 VIEW `v2` AS select 1 AS `x` */
;;
ALTER VIEW active_customers AS SELECT id FROM customers
;;
DROP VIEW IF EXISTS active_customers, v2
;;
CREATE DEFINER=`root`@`localhost` PROCEDURE `bump`(IN p_id INT) BEGIN UPDATE customers SET tier = tier + 1 WHERE id = p_id; END
;;
CREATE FUNCTION add_one(x INT) RETURNS INT DETERMINISTIC RETURN x + 1
;;
DROP PROCEDURE IF EXISTS bump
;;
DROP FUNCTION add_one
;;
CREATE TRIGGER trg_orders_bi BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = IFNULL(NEW.total, 0)
;;
DROP TRIGGER IF EXISTS trg_orders_bi
;;
CREATE EVENT purge_logs ON SCHEDULE EVERY 1 DAY DO DELETE FROM audit_log WHERE at < NOW() - INTERVAL 30 DAY
;;
ALTER EVENT purge_logs DISABLE
;;
DROP EVENT purge_logs
;;
CREATE SEQUENCE seq_orders START WITH 1000 INCREMENT BY 1
;;
DROP SEQUENCE IF EXISTS seq_orders
;;
CREATE SERVER remote FOREIGN DATA WRAPPER mysql OPTIONS (HOST '10.0.0.2', DATABASE 'db', USER 'u')
;;
CREATE TABLESPACE ts1 ADD DATAFILE 'ts1.ibd' ENGINE=InnoDB
;;
SET NAMES utf8mb4
;;
SET @@session.foreign_key_checks = 0
;;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'
;;
ANALYZE TABLE orders, customers
;;
OPTIMIZE NO_WRITE_TO_BINLOG TABLE orders
;;
REPAIR TABLE merged QUICK
;;
FLUSH PRIVILEGES
;;
BEGIN
;;
COMMIT
;;
XA START 'xid1'
;;
SAVEPOINT sp1
;;
INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'A (the first)')
;;
UPDATE orders SET status = 'paid' WHERE order_id IN (1, 2, 3)
;;
DELETE FROM audit_log WHERE id < 100
;;
REPLACE INTO stock_levels VALUES ('SKU-1', 3, 1)
;;
INSTALL PLUGIN example SONAME 'ha_example.so'
;;
USE shop
;;
LOAD DATA INFILE '/tmp/x.csv' INTO TABLE customers FIELDS TERMINATED BY ','
;;
CALL bump(3)
;;
CREATE TABLE final_mix (
  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'pk',
  `uuid` BINARY(16) NOT NULL DEFAULT (UUID_TO_BIN(UUID())),
  `kind` ENUM('a','b') CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  `weight` FLOAT(8,3) UNSIGNED DEFAULT NULL,
  `tags` SET('x','y,z') DEFAULT NULL,
  `created` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (`id`),
  UNIQUE KEY `uq_uuid` (`uuid`),
  KEY `ix_kind_created` (`kind`, `created` DESC)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_as_cs ROW_FORMAT=DYNAMIC COMMENT='mixed bag'
;;
CREATE DATABASE `binlogged` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */
;;
CREATE TABLE type_named (type INT, KEY type (type), KEY k2 TYPE BTREE (type))
;;
ALTER TABLE customers RENAME COLUMN city TO town, ALGORITHM=INSTANT
;;
ALTER TABLE customers ADD COLUMN c9 INT, ALGORITHM=NOCOPY, LOCK=NONE
;;
ALTER TABLE customers ADD COLUMN IF NOT EXISTS (c10 INT, c11 INT)
;;
ALTER TABLE customers ADD CONSTRAINT IF NOT EXISTS chk_c10 CHECK (c10 > 0)
;;
DROP TABLE `a`,`b` /* generated by server */
