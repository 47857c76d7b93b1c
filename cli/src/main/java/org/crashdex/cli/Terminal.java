package org.crashdex.cli;

/** Whether output goes to a person at a terminal (progress bars, colours) or to a pipe or file. */
final class Terminal {
  private Terminal() {}

  static final String BOLD_RED = "\u001b[1;31m";
  static final String DIM = "\u001b[2m";
  static final String RESET = "\u001b[0m";

  /** True when stdout is a terminal and NO_COLOR is not set. */
  static boolean interactive() {
    java.io.Console c = System.console();
    return c != null && c.isTerminal() && System.getenv("NO_COLOR") == null;
  }
}
