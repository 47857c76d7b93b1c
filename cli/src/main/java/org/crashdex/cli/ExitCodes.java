package org.crashdex.cli;

/** The exit codes every command uses, as listed in {@code crashdex --help}. */
final class ExitCodes {
  static final int OK = 0;
  /** Some inputs failed; the rest were handled. */
  static final int PARTIAL = 1;
  /** Bad options, a bad query, a missing argument. */
  static final int USAGE = 2;
  /** Nothing could be done. */
  static final int FAILURE = 3;

  private ExitCodes() {}

  /** A one-line description of an unexpected failure: the message, never a stack trace. */
  static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getMessage() == null) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }
}
