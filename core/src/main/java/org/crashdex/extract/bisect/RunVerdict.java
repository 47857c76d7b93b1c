package org.crashdex.extract.bisect;

/**
 * The verdict of one test run of one kernel build, as a {@code run #N:}, {@code all runs:},
 * early {@code try #N:} line, or a bare {@code failed:} line printed when the whole test failed.
 *
 * <p>The verdict kinds syzkaller prints: {@link #OK}, {@link #CRASHED}, {@link #BOOT_FAILED},
 * {@link #BASIC_TESTING_FAILED}, {@link #INFRA_PROBLEM}, {@link #IGNORE}, {@link #FAILED}. A kind this
 * class does not know is kept as printed (the text before the first ": "), so a new syzkaller
 * wording still lands somewhere searchable.
 *
 * @param run the run number of a {@code run #N:} line, or null for {@code all runs:} and bare lines
 * @param verdict the kind, e.g. "OK", "crashed", "boot failed"
 * @param title what follows the kind: the crash title or the failure reason; null for "OK"
 */
public record RunVerdict(Integer run, String verdict, String title) {

  public static final String OK = "OK";
  public static final String CRASHED = "crashed";
  public static final String BOOT_FAILED = "boot failed";
  public static final String BASIC_TESTING_FAILED = "basic kernel testing failed";
  public static final String INFRA_PROBLEM = "infra problem";
  public static final String IGNORE = "ignore";
  public static final String FAILED = "failed";

  private static final String[] KINDS = {
    CRASHED, BOOT_FAILED, BASIC_TESTING_FAILED, INFRA_PROBLEM, IGNORE, FAILED
  };

  /** Splits the text after "run #N: " (or "all runs: ") into kind and title. */
  static RunVerdict of(Integer run, String text) {
    text = text.strip();
    if (text.equals(OK) || text.startsWith(OK + " ")) {
      return new RunVerdict(run, OK, null);
    }
    for (String kind : KINDS) {
      if (text.startsWith(kind)) {
        String rest = text.substring(kind.length());
        if (rest.isEmpty()) {
          return new RunVerdict(run, kind, null);
        }
        if (rest.startsWith(":")) {
          rest = rest.substring(1).strip();
          return new RunVerdict(run, kind, rest.isEmpty() ? null : rest);
        }
      }
    }
    int colon = text.indexOf(": ");
    if (colon > 0) {
      return new RunVerdict(run, text.substring(0, colon), text.substring(colon + 2).strip());
    }
    return new RunVerdict(run, text, null);
  }
}
