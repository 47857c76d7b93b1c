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
    return of(run, text, 0, text.length());
  }

  /**
   * The same for the text in [from, to) of {@code line}: a run line is read in place, and only the
   * title becomes a string of its own.
   */
  static RunVerdict of(Integer run, String line, int from, int to) {
    // strip()
    while (from < to && Character.isWhitespace(line.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
      to--;
    }
    if (to - from == OK.length() && line.startsWith(OK, from) || startsWith(line, from, to, OK + " ")) {
      return new RunVerdict(run, OK, null);
    }
    for (String kind : KINDS) {
      if (startsWith(line, from, to, kind)) {
        int rest = from + kind.length();
        if (rest == to) {
          return new RunVerdict(run, kind, null);
        }
        if (line.charAt(rest) == ':') {
          return new RunVerdict(run, kind, stripped(line, rest + 1, to));
        }
      }
    }
    int colon = line.indexOf(": ", from);
    if (colon > from && colon + 2 <= to) {
      return new RunVerdict(run, line.substring(from, colon), line.substring(colon + 2, to).strip());
    }
    return new RunVerdict(run, line.substring(from, to), null);
  }

  private static boolean startsWith(String line, int from, int to, String prefix) {
    return to - from >= prefix.length() && line.startsWith(prefix, from);
  }

  /** The text in [from, to) without white space at either end; null when nothing is left. */
  private static String stripped(String line, int from, int to) {
    while (from < to && Character.isWhitespace(line.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
      to--;
    }
    return from == to ? null : line.substring(from, to);
  }
}
