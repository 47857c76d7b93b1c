package org.crashdex.search;

/** How many records carry {@code value}. */
public record Count(String value, long count) {}
