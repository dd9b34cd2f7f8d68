package io.sluice.mysql.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinlogFileTimesTest {
    private final List<String> looked = new ArrayList<>();

    /** Files mysql-bin.000001.. that began at the given epoch seconds. */
    private BinlogFileTimes.Begun begun(List<String> files, long... seconds) {
        return file -> {
            looked.add(file);
            return Instant.ofEpochSecond(seconds[files.indexOf(file)]);
        };
    }

    private static List<String> files(int n) {
        List<String> f = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            f.add(String.format("mysql-bin.%06d", i));
        }
        return f;
    }

    @Test
    void findsTheLastFileBegunBeforeTheTimeLookingAtLogNFiles() throws Exception {
        List<String> f = files(1000);
        long[] s = new long[1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = 1_000 + i * 10L;
        }
        BinlogFileTimes.Begun b = begun(f, s);
        assertThat(BinlogFileTimes.lastBegunBefore(f, Instant.ofEpochSecond(5_005), b))
                .isEqualTo(400);
        assertThat(looked).hasSizeLessThanOrEqualTo(11);
        // a file that began exactly at the time is not before it: its predecessor may hold events of that second
        assertThat(BinlogFileTimes.lastBegunBefore(f, Instant.ofEpochSecond(5_000), b))
                .isEqualTo(399);
        assertThat(BinlogFileTimes.lastBegunBefore(
                        f, Instant.ofEpochSecond(5_000).plusMillis(1), b))
                .isEqualTo(400);
        assertThat(BinlogFileTimes.lastBegunBefore(f, Instant.ofEpochSecond(999_999), b))
                .isEqualTo(999);
        assertThat(BinlogFileTimes.lastBegunBefore(f, Instant.ofEpochSecond(1_000), b))
                .isEqualTo(-1);
    }

    @Test
    void filesBegunInTheSameSecondAndASingleFile() throws Exception {
        List<String> f = files(5);
        BinlogFileTimes.Begun b = begun(f, 10, 20, 20, 20, 30);
        assertThat(BinlogFileTimes.lastBegunBefore(f, Instant.ofEpochSecond(20), b))
                .isEqualTo(0);
        assertThat(BinlogFileTimes.lastBegunBefore(f, Instant.ofEpochSecond(21), b))
                .isEqualTo(3);
        List<String> one = files(1);
        assertThat(BinlogFileTimes.lastBegunBefore(one, Instant.ofEpochSecond(5), begun(one, 10)))
                .isEqualTo(-1);
        assertThat(BinlogFileTimes.lastBegunBefore(one, Instant.ofEpochSecond(11), begun(one, 10)))
                .isEqualTo(0);
        assertThat(BinlogFileTimes.lastBegunBefore(List.of(), Instant.ofEpochSecond(11), file -> null))
                .isEqualTo(-1);
    }
}
