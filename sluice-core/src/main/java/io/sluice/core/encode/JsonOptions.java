package io.sluice.core.encode;

import java.util.Objects;

/**
 * The JSON sinks' encoder settings ({@code encoding.*}, docs/change-event.md "Options"): both off by default, so
 * the default output is the contract's.
 *
 * @param bigint             how 64-bit integers are written ({@code encoding.bigint})
 * @param transactionMarkers whether the last event of each transaction (and of each snapshot chunk) carries
 *                           {@code "txn":{"last":true}} ({@code encoding.transaction-markers})
 * @param announceSchemas    whether the source announces each schema version no statement made with an {@code s}
 *                           event ({@code ddl} null) before its first row ({@code encoding.announce-schemas}; the
 *                           source does this, for every sink, and the encoder is unchanged by it)
 */
public record JsonOptions(BigintEncoding bigint, boolean transactionMarkers, boolean announceSchemas) {
    /** The contract's form. */
    public static final JsonOptions DEFAULT = new JsonOptions(BigintEncoding.NUMBER, false, false);

    /** Options without announcements. */
    public JsonOptions(BigintEncoding bigint, boolean transactionMarkers) {
        this(bigint, transactionMarkers, false);
    }

    public JsonOptions {
        Objects.requireNonNull(bigint, "bigint");
    }

    /** True when snapshot runs can go to the sink as the snapshot rendered them. */
    boolean plain() {
        return bigint == BigintEncoding.NUMBER && !transactionMarkers;
    }
}
