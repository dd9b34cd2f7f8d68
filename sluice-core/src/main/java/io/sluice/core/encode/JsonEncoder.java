package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;

/** {@link Encoder#json()}: encodes an event's key and after image ahead. */
final class JsonEncoder implements Encoder {
    static final JsonEncoder INSTANCE = new JsonEncoder();

    private JsonEncoder() {}

    @Override
    public Encoded encode(ChangeEvent e) {
        byte[] key = e.key() == null ? null : EventCodec.renderRow(e.key());
        byte[] after = e.after() == null ? null : EventCodec.renderRow(e.after());
        return new Encoded(e, null, key, 0, key == null ? 0 : key.length, after, 0, after == null ? 0 : after.length);
    }
}
