package org.crashdex.extract.crash;

import java.util.ArrayList;
import java.util.List;

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
    for (int k = 0; k < FrameLines.markerCount(); k++) {
      int at = FrameLines.findMarker(k, report, 0);
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

  private static boolean passes(String report, int marker, boolean riscv) {
    List<String> after = linesAfter(report, marker, WINDOW + 1);
    if (after.size() < MIN_LINES_AFTER) {
      return false;
    }
    if (riscv) {
      return true;
    }
    for (int i = 0; i < after.size() && i < WINDOW; i++) {
      String line = after.get(i);
      if (FrameLines.isStackStart(line)) {
        break;
      }
      if (line.contains("(stack is not available)") || FrameLines.isFrame(line)) {
        return true;
      }
    }
    return false;
  }

  /** Up to {@code max} lines after the line containing {@code pos}, counting the empty piece after a final '\n'. */
  private static List<String> linesAfter(String text, int pos, int max) {
    List<String> out = new ArrayList<>();
    int i = text.indexOf('\n', pos);
    while (i >= 0 && out.size() < max) {
      int next = text.indexOf('\n', i + 1);
      out.add(next < 0 ? text.substring(i + 1) : text.substring(i + 1, next));
      i = next;
    }
    return out;
  }
}
