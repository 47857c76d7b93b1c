package org.crashdex.source;

/**
 * Carries an exception thrown by a {@link SourceVisitor} (an index that cannot be written) through the
 * walker's input error handling, which must not mistake it for a bad input; {@link SourceWalker#walk}
 * rethrows the original.
 */
final class VisitorAbort extends RuntimeException {
  VisitorAbort(Exception cause) {
    super(cause);
  }

  Exception original() {
    return (Exception) getCause();
  }
}
