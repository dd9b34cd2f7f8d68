package io.sluice.core.pipeline;

/** Where a pipeline is in its life. */
public enum PipelineState {
    NEW,
    RUNNING,
    PAUSED,
    RETRYING,
    STOPPED,
    FAILED
}
