/**
 * The encoder stage, the one place where typed change events become the contract's JSON ({@code
 * docs/change-event.md}, byte for byte): {@link io.sluice.core.encode.EventCodec} writes the envelope, the pipeline
 * runs {@link io.sluice.core.encode.Encoder} for a sink that writes JSON and hands it
 * {@link io.sluice.core.encode.Encoded} items, which the sink's thread writes (a streamed row event rendered there into
 * bytes by {@code EventWriter}, past the generator; a snapshot event copied as made whole ahead). The snapshot's fast path
 * (its arena, {@link io.sluice.core.encode.RenderedRows}, and the runs copied from it) is here too. Depends on
 * {@code event}, {@code schema} and {@code value}.
 */
package io.sluice.core.encode;
