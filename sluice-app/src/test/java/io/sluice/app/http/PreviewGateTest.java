package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreviewGateTest {

    private static int status(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (HttpProblem e) {
            return e.status();
        }
    }

    @Test
    void onePreviewAtATimePerPipelineAndABoundOverTheServer() {
        PreviewGate gate = new PreviewGate(2);
        PreviewGate.Pass shop = gate.enter("shop");
        assertThatThrownBy(() -> gate.enter("shop"))
                .isInstanceOf(HttpProblem.class)
                .hasMessageContaining("a preview of pipeline shop is running already");
        assertThat(status(() -> gate.enter("shop"))).isEqualTo(429);
        PreviewGate.Pass billing = gate.enter("billing");
        assertThatThrownBy(() -> gate.enter("audit"))
                .isInstanceOf(HttpProblem.class)
                .hasMessageContaining("2 previews are running on this server already");
        // a refusal by the server's bound does not keep the pipeline marked as running
        billing.close();
        gate.enter("audit").close();
        shop.close();
        gate.enter("shop").close();
        assertThat(status(() -> gate.enter("shop").close())).isEqualTo(200);
    }
}
