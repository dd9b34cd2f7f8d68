package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * QUERY and EXECUTE_LOAD_QUERY events read with their statement's sql_mode: captured from a MariaDB 10.11 binlog
 * (CRC32 checksums), and constructed with the status variables MySQL writes.
 */
class StatementDeserializerTest {
    /** {@code SET sql_mode='ANSI_QUOTES'; alter table "st"."a" add column "q col" int} as MariaDB logged it. */
    private static final String ANSI_ALTER = "fb5b166b0201000000750000005609000000000b00000000000000020000230000000000"
            + "01010400000000000000060373746404210021000800813a00000000000000737400616c746572207461626c652022737422"
            + "2e2261222061646420636f6c756d6e20227120636f6c2220696e74e7fcc654";
    /** {@code LOAD DATA INFILE 'load.txt' INTO TABLE b} in a session with binlog_format=STATEMENT. */
    private static final String LOAD_DATA = "015c166b1201000000d60000000a0a000000000d000000000000000200001a0001000000"
            + "09000000200000000000000000010100002054000000000603737464042100210008007374004c4f4144204441544120494e"
            + "46494c4520276c6f61642e7478742720494e544f205441424c4520606260204649454c4453205445524d494e415445442042"
            + "5920275c742720454e434c4f534544204259202727204553434150454420425920275c5c27204c494e4553205445524d494e"
            + "4154454420425920275c6e272028606964602c2060766029d4320a29";

    private static Event read(String hex, ChecksumType checksum) throws IOException {
        EventDeserializer d = RowsDeserializers.create();
        d.setChecksumType(checksum);
        return d.nextEvent(new ByteArrayInputStream(HexFormat.of().parseHex(hex)));
    }

    @Test
    void mariaDbQueryCarriesItsSqlMode() throws IOException {
        Event e = read(ANSI_ALTER, ChecksumType.CRC32);
        StatementEventData q = e.getData();
        assertThat(q.getSqlMode()).isEqualTo(4L); // ANSI_QUOTES
        assertThat(q.getDatabase()).isEqualTo("st");
        assertThat(q.getSql()).isEqualTo("alter table \"st\".\"a\" add column \"q col\" int");
        assertThat(q.getThreadId()).isEqualTo(11);
        assertThat(q.isLoadData()).isFalse();
    }

    @Test
    void executeLoadQueryGivesItsStatement() throws IOException {
        Event e = read(LOAD_DATA, ChecksumType.CRC32);
        assertThat(e.getHeader().getEventType()).isEqualTo(EventType.EXECUTE_LOAD_QUERY);
        StatementEventData q = e.getData();
        assertThat(q.isLoadData()).isTrue();
        assertThat(q.getDatabase()).isEqualTo("st");
        assertThat(q.getSql()).startsWith("LOAD DATA INFILE 'load.txt' INTO TABLE `b` FIELDS");
        assertThat(q.getSqlMode()).isEqualTo(0x54200000L);
    }

    @Test
    void mysqlStatusVariablesBeforeTheSqlModeAreSkipped() throws IOException {
        ByteArrayOutputStream vars = new ByteArrayOutputStream();
        vars.writeBytes(new byte[] {0, 0, 0, 0, 0}); // Q_FLAGS2
        vars.writeBytes(new byte[] {12, 2, 'a', 0, 'b', 'c', 0}); // Q_UPDATED_DB_NAMES: a, bc
        vars.writeBytes(new byte[] {11, 1, 'u', 2, 'h', 'h'}); // Q_INVOKER
        vars.writeBytes(new byte[] {6, 3, 's', 't', 'd'}); // Q_CATALOG_NZ
        vars.writeBytes(new byte[] {1, 4, 0, 0x10, 0, 0, 0, 0, 0}); // Q_SQL_MODE: ANSI_QUOTES | NO_BACKSLASH_ESCAPES
        assertThat(StatementDeserializer.sqlMode(vars.toByteArray())).isEqualTo(4L | (1L << 20));
        // a code this reader cannot size hides what follows it
        assertThat(StatementDeserializer.sqlMode(new byte[] {99, 1, 4, 0, 0, 0, 0, 0, 0, 0}))
                .isNull();
        assertThat(StatementDeserializer.sqlMode(new byte[0])).isNull();

        byte[] sql = "ALTER TABLE \"t\" ADD c INT".getBytes(StandardCharsets.UTF_8);
        byte[] statusVars = vars.toByteArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {7, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, (byte) statusVars.length, 0});
        body.writeBytes(statusVars);
        body.writeBytes(new byte[] {'d', 'b', 0});
        body.writeBytes(sql);
        StatementEventData q =
                new StatementDeserializer(false).deserialize(new ByteArrayInputStream(body.toByteArray()));
        assertThat(q.getSqlMode()).isEqualTo(4L | (1L << 20));
        assertThat(q.getDatabase()).isEqualTo("db");
        assertThat(q.getSql()).isEqualTo("ALTER TABLE \"t\" ADD c INT");
        assertThat(q.getThreadId()).isEqualTo(7);
    }
}
