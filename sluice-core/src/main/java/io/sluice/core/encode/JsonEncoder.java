package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;

/**
 * {@link Encoder#json()}: hands a streamed event on typed, for the sink's thread to encode whole, straight into its
 * generator. Rendering the key and after image here, on the binlog reader's thread (as it once did), cost that
 * thread a third of its time plus two copies of each image (into an array, then into the sink's buffer).
 */
final class JsonEncoder implements Encoder {
    static final JsonEncoder INSTANCE = new JsonEncoder();

    private JsonEncoder() {}

    @Override
    public Encoded encode(ChangeEvent e) {
        return Encoded.plain(e);
    }
}
