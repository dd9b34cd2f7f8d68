package io.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.SluiceException;
import io.sluice.core.checkpoint.BinlogPosition;
import io.sluice.core.checkpoint.Checkpoint;
import io.sluice.core.checkpoint.PartialTxn;
import io.sluice.core.checkpoint.TableVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffsetsTest {

    @Test
    void aCheckpointWithItsResumeInsideMarkRoundTripsThroughAConnectOffset() {
        Checkpoint cp = new Checkpoint(
                        new BinlogPosition("mysql-bin.000042", 1187, "0-1-4711"),
                        List.of(),
                        Map.of("sales.orders", new TableVersion(3, TableVersion.PENDING)))
                .withPartial(new PartialTxn("0-1-4712", 100_000));
        Map<String, Object> stored = new HashMap<>(Offsets.offset(cp));
        assertThat(Offsets.checkpoint("shop", stored)).isEqualTo(cp);
        assertThat(Offsets.checkpoint("shop", null)).isNull();
        assertThat(Offsets.partition("shop")).containsEntry("pipeline", "shop");
    }

    @Test
    void anOffsetThatIsNotACheckpointIsAClearError() {
        assertThatThrownBy(() -> Offsets.checkpoint("shop", Map.of("checkpoint", "{\"position\": 3")))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("the Connect offset of pipeline shop cannot be read")
                .hasMessageContaining("PATCH /connectors/<name>/offsets");
    }
}
