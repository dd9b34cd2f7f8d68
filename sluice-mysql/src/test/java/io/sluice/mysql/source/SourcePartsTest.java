package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePartsTest {
    @Test
    void xidsFromPrepareEventsMatchEveryStatementSpelling() {
        byte[] data = "tx1b".getBytes(StandardCharsets.US_ASCII);
        String fromPrepare = Xid.of(1, data, 3, 1);
        assertThat(Xid.normalize(" 'tx1','b'")).isEqualTo(fromPrepare);
        assertThat(Xid.normalize("X'747831',X'62',1")).isEqualTo(fromPrepare);
        assertThat(Xid.normalize("0x747831, 0x62, 1")).isEqualTo(fromPrepare);
        assertThat(Xid.normalize("'tx1'")).isEqualTo(Xid.of(1, "tx1".getBytes(StandardCharsets.US_ASCII), 3, 0));
        assertThat(Xid.normalize("'a''b','',7")).isEqualTo("7:612762:");
    }

    @Test
    void tableGlobsIncludeAndExclude() {
        TableFilter f = new TableFilter(List.of("sales.*", "hr.emp?"), List.of("sales.tmp_*"));
        assertThat(f.captures("sales", "orders")).isTrue();
        assertThat(f.captures("sales", "tmp_x")).isFalse();
        assertThat(f.captures("hr", "emp1")).isTrue();
        assertThat(f.captures("hr", "emp12")).isFalse();
        assertThat(f.captures("salesx", "orders")).isFalse();
        assertThat(new TableFilter(List.of(), List.of()).captures("any", "t")).isTrue();
        assertThat(f.mayCapture("sales")).isTrue();
        assertThat(f.mayCapture("hr")).isTrue();
        assertThat(f.mayCapture("salesx")).isFalse();
        assertThat(new TableFilter(List.of("s*"), List.of()).mayCapture("any")).isTrue(); // may span the dot
        assertThat(new TableFilter(List.of(), List.of()).mayCapture("any")).isTrue();
    }

    @Test
    void gtidSetsKeepEachDialect() {
        GtidTracker maria = new GtidTracker("0-1-5,1-2-7");
        maria.add("0-1-6");
        assertThat(maria.toString()).isEqualTo("0-1-6,1-2-7");
        GtidTracker mysql = new GtidTracker(null);
        mysql.add("3e11fa47-71ca-11e1-9e33-c80aa9429562:1");
        mysql.add("3e11fa47-71ca-11e1-9e33-c80aa9429562:2");
        assertThat(mysql.toString()).isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2");
    }

    @Test
    void aGtidStateIsNotPastATargetWhileEachOfTheTargetsDomainsIsAtOrBeforeIt() {
        GtidTracker target = new GtidTracker("0-1-10,1-2-7");
        assertThat(new GtidTracker("0-1-10,1-2-7").notPast(target)).isTrue();
        assertThat(new GtidTracker("0-1-3").notPast(target)).isTrue();
        assertThat(new GtidTracker("").notPast(target)).isTrue();
        // a domain the target does not name does not count
        assertThat(new GtidTracker("0-1-9,5-3-100").notPast(target)).isTrue();
        assertThat(new GtidTracker("0-1-11,1-2-7").notPast(target)).isFalse();
        assertThat(new GtidTracker("0-1-2,1-2-8").notPast(target)).isFalse();
        assertThat(GtidPositions.isMariaDb(" 0-1-10,1-2-7 ")).isTrue();
        assertThat(GtidPositions.isMariaDb("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-2"))
                .isFalse();
    }
}
