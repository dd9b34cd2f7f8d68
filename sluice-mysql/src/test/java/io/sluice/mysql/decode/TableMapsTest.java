package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableMapsTest {

    /** A TABLE_MAP body: table id, flags, database, table, two columns of the given types, no metadata. */
    private static byte[] tableMap(long tableId, String table, int type0, int type1) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) {
            out.write((int) (tableId >>> (8 * i)));
        }
        out.write(0);
        out.write(0);
        for (String name : new String[] {"shop", table}) {
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            out.write(b.length);
            out.writeBytes(b);
            out.write(0);
        }
        out.write(2);
        out.write(type0);
        out.write(type1);
        out.write(0); // no metadata
        out.write(0b11); // both nullable
        return out.toByteArray();
    }

    private static TableMapEventData read(TableMaps maps, byte[] body) throws Exception {
        return maps.deserialize(new ByteArrayInputStream(body));
    }

    @Test
    void theSameBytesGiveTheSameTableMapAndOtherBytesANewOne() throws Exception {
        TableMaps maps = new TableMaps();
        TableMapEventData first = read(maps, tableMap(100, "t", 3, 3));
        assertThat(first.getTable()).isEqualTo("t");
        assertThat(first.getColumnTypes()).containsExactly(3, 3);
        assertThat(read(maps, tableMap(100, "t", 3, 3))).isSameAs(first);

        TableMapEventData altered = read(maps, tableMap(100, "t", 3, 8)); // ALTER TABLE: a BIGINT now
        assertThat(altered).isNotSameAs(first);
        assertThat(altered.getColumnTypes()).containsExactly(3, 8);

        TableMapEventData other = read(maps, tableMap(101, "u", 3, 3));
        assertThat(other.getTable()).isEqualTo("u");
        assertThat(read(maps, tableMap(100, "t", 3, 8))).isSameAs(altered);
        assertThat(read(maps, tableMap(101, "u", 3, 3))).isSameAs(other);
    }
}
