package org.crashdex.extract.crash;

/**
 * The check that a report really holds a stack (spec §7): a report cut short by a reboot, or whose
 * stack lines were lost in the interleaving of several CPUs, cannot be trusted to name its bug.
 *
 * <p>For the first occurrence of each stack-start marker ("Call Trace:", "Allocated by task N:", …),
 * at least {@value #MIN_LINES_AFTER} lines must follow, and within the next {@value #WINDOW} lines,
 * before another marker, a frame line or "(stack is not available)" must appear. One such marker is
 * enough.
 */
final class StackCheck {
  private StackCheck() {}

  static final int MIN_LINES_AFTER = 3;
  static final int WINDOW = 15;

  /** Whether {@code report} (lines ending in '\n') passes the check. */
  static boolean hasStack(String report) {
    boolean any = false;
    int[] first = FrameLines.firstMarkers(report);
    for (int k = 0; k < first.length; k++) {
      int at = first[k];
      if (at < 0) {
        continue;
      }
      if (!passes(report, at, k == FrameLines.RISCV_MARKER)) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static final String NOT_AVAILABLE = "(stack is not available)";

  /**
   * The lines after the marker's line are read as ranges of the report: the window is cut short by
   * the first frame line, so most of its lines are never looked at, and cutting each one out cost
   * more than the checks. Only a line that may be a frame is cut out, for {@link FrameLines#isFrame}.
   */
  private static boolean passes(String report, int marker, boolean riscv) {
    int lineEnd = report.indexOf('\n', marker);
    if (linesAfter(report, lineEnd, MIN_LINES_AFTER) < MIN_LINES_AFTER) {
      return false;
    }
    if (riscv) {
      return true;
    }
    for (int k = 0; k < WINDOW && lineEnd >= 0; k++) {
      int from = lineEnd + 1;
      lineEnd = report.indexOf('\n', from);
      int to = lineEnd < 0 ? report.length() : lineEnd;
      if (FrameLines.isStackStart(report, from, to)) {
        break;
      }
      if (report.indexOf(NOT_AVAILABLE, from, to) >= 0 || FrameLines.isFrame(report.substring(from, to))) {
        return true;
      }
    }
    return false;
  }

  /**
   * How many lines (up to {@code max}) follow the '\n' at {@code lineEnd} (none when it is -1),
   * counting the empty piece after a final '\n'.
   */
  private static int linesAfter(String text, int lineEnd, int max) {
    int count = 0;
    for (int i = lineEnd; i >= 0 && count < max; i = text.indexOf('\n', i + 1)) {
      count++;
    }
    return count;
  }
}
