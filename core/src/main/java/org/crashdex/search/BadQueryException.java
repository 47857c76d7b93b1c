package org.crashdex.search;

/** A query that cannot be parsed, with a one-line message that says what is wrong and where. */
public final class BadQueryException extends IllegalArgumentException {
  public BadQueryException(String message) {
    super(message);
  }
}
