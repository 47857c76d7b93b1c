package org.crashdex.scan;

/** What a record holds. */
public enum RecordKind {
  /** One kernel crash report in console output or in a report file. */
  CRASH,
  /** One syzbot bisection log, with the crash report it ends with. */
  BISECTION;

  /** The lower-case name used in JSON output and in the index. */
  public String label() {
    return this == CRASH ? "crash" : "bisection";
  }
}
