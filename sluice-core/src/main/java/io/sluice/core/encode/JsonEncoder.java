package io.sluice.core.encode;

import io.sluice.core.event.ChangeEvent;

/**
 * {@link Encoder#json()}: hands a streamed event on typed, for the sink's thread to encode whole, straight into its
 * generator (rendering images on the binlog reader's thread cost that thread a third of its time), as its
 * {@link JsonOptions} say.
 */
final class JsonEncoder implements Encoder {
    static final JsonEncoder INSTANCE = new JsonEncoder(JsonOptions.DEFAULT);

    private final JsonOptions options;

    private JsonEncoder(JsonOptions options) {
        this.options = options;
    }

    static JsonEncoder of(JsonOptions options) {
        return options.equals(JsonOptions.DEFAULT) ? INSTANCE : new JsonEncoder(options);
    }

    @Override
    public Encoded encode(ChangeEvent e) {
        return Encoded.plain(e, options.bigint());
    }

    @Override
    public Encoded encode(EventRun run, int k) {
        // the snapshot's arena holds the contract's form: under other options its events are encoded typed
        return options.plain() ? run.encoded(k) : encode(run.event(k));
    }

    @Override
    public boolean keepsRuns() {
        return options.plain();
    }

    @Override
    public boolean marksLast() {
        return options.transactionMarkers();
    }
}
