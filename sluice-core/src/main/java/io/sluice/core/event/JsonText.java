package io.sluice.core.event;

/** A column value that is itself JSON (MySQL's native JSON type): embedded as is, not quoted. */
public record JsonText(String json) {}
