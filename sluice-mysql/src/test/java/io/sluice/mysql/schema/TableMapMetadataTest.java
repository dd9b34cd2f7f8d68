package io.sluice.mysql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The check every TABLE_MAP event goes through: does it describe the table as the cached one did? */
class TableMapMetadataTest {

    private static TableMapEventMetadata metadata(String[] names, String[]... enumLabels) {
        TableMapEventMetadata md = new TableMapEventMetadata();
        md.setColumnNames(new ArrayList<>(List.of(names)));
        BitSet signed = new BitSet();
        signed.set(0);
        md.setSignedness(signed);
        TableMapEventMetadata.DefaultCharset cs = new TableMapEventMetadata.DefaultCharset();
        cs.setDefaultCharsetCollation(45);
        cs.setCharsetCollations(Map.of(2, 8));
        md.setDefaultCharset(cs);
        List<String[]> labels = new ArrayList<>();
        for (String[] l : enumLabels) {
            labels.add(l.clone()); // a fresh array per event, as the library reads them
        }
        md.setEnumStrValues(labels);
        md.setSimplePrimaryKeys(new ArrayList<>(List.of(0)));
        return md;
    }

    @Test
    void twoEventsDescribingTheSameTableMatch() {
        String[] names = {"id", "state", "note"};
        assertThat(TableMapDefinitions.sameMetadata(
                        metadata(names, new String[] {"new", "paid"}), metadata(names, new String[] {"new", "paid"})))
                .isTrue();
        assertThat(TableMapDefinitions.sameMetadata(null, null)).isTrue();
    }

    @Test
    void labelsAreComparedAsLabelsNotAsTheirJoinedText() {
        String[] names = {"id", "state"};
        // both join to "a,b,c": a comparison of the metadata's text took them for one table layout
        assertThat(TableMapDefinitions.sameMetadata(
                        metadata(names, new String[] {"a,b", "c"}), metadata(names, new String[] {"a", "b,c"})))
                .isFalse();
    }

    @Test
    void anyDifferenceMakesAnotherLayout() {
        String[] names = {"id", "state"};
        TableMapEventMetadata base = metadata(names, new String[] {"x"});
        assertThat(TableMapDefinitions.sameMetadata(base, metadata(new String[] {"id", "status"}, new String[] {"x"})))
                .isFalse();
        TableMapEventMetadata otherCharset = metadata(names, new String[] {"x"});
        otherCharset.getDefaultCharset().setCharsetCollations(Map.of(2, 33));
        assertThat(TableMapDefinitions.sameMetadata(base, otherCharset)).isFalse();
        TableMapEventMetadata invisible = metadata(names, new String[] {"x"});
        BitSet v = new BitSet();
        v.set(1);
        invisible.setVisibility(v);
        assertThat(TableMapDefinitions.sameMetadata(base, invisible)).isFalse();
        assertThat(TableMapDefinitions.sameMetadata(base, null)).isFalse();
    }
}
