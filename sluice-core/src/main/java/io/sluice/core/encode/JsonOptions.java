package io.sluice.core.encode;

import java.util.Objects;

/**
 * The JSON sinks' encoder settings ({@code encoding.*}, docs/change-event.md "Options"): both off by default, so
 * the default output is the contract's.
 *
 * @param bigint             how 64-bit integers are written ({@code encoding.bigint})
 * @param transactionMarkers whether the last event of each transaction (and of each snapshot chunk) carries
 *                           {@code "txn":{"last":true}} ({@code encoding.transaction-markers})
 */
public record JsonOptions(BigintEncoding bigint, boolean transactionMarkers) {
    /** The contract's form. */
    public static final JsonOptions DEFAULT = new JsonOptions(BigintEncoding.NUMBER, false);

    public JsonOptions {
        Objects.requireNonNull(bigint, "bigint");
    }

    /** True when snapshot runs can go to the sink as the snapshot rendered them. */
    boolean plain() {
        return bigint == BigintEncoding.NUMBER && !transactionMarkers;
    }
}
