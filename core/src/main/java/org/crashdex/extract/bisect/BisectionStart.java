package org.crashdex.extract.bisect;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a bisection record starts: the rule the record scanner and {@link BisectionParser} share.
 *
 * <p>A bisection starts at a line that begins with {@value #CAUSE} or {@value #FIX}. When the line
 * just before it is {@code <host> starts bisection <time>} (syzbot logs since mid-2022), the record
 * starts at that line instead, so the host and time stay with their bisection. A record runs to the
 * next start or to the end of the data.
 *
 * <p>Every real log that holds a bisection at all has one of the two {@code bisecting} lines, and it
 * is the first line or the second after the host line. The only logs without one are syzbot's stored
 * errors of bisections that failed before they logged anything (a bare message such as "the crash
 * wasn't reproduced on the original commit"): they carry no mark that a scanner could find, and
 * {@link BisectionParser#parse(String)} reads such a text, when handed one, as an error record.
 */
public final class BisectionStart {
  private BisectionStart() {}

  /** The line that starts a cause bisection; the start commit follows. */
  public static final String CAUSE = "bisecting cause commit starting from ";
  /** The line that starts a fix bisection; the start commit follows. */
  public static final String FIX = "bisecting fixing commit since ";

  private static final String STARTS_BISECTION = " starts bisection ";

  /** True when {@code line} (no terminator) begins a bisection. */
  public static boolean isStart(CharSequence line) {
    return startsWith(line, CAUSE) || startsWith(line, FIX);
  }

  /**
   * True for {@code <host> starts bisection <time>}: one word of host name, then the phrase. Such a
   * line starts the record only when the next line {@link #isStart starts} a bisection.
   */
  public static boolean isHostLine(CharSequence line) {
    String s = line.toString();
    int at = s.indexOf(STARTS_BISECTION);
    if (at <= 0) {
      return false;
    }
    for (int i = 0; i < at; i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The char offsets at which bisection records start in {@code text}, in order. Lines end at '\n';
   * a '\r' before it is ignored. Empty when the text holds no bisection start.
   */
  public static long[] starts(String text) {
    List<Long> starts = new ArrayList<>();
    int previousLineStart = -1;
    int lineStart = 0;
    int length = text.length();
    while (lineStart < length) {
      int newline = text.indexOf('\n', lineStart);
      int lineEnd = newline < 0 ? length : newline;
      String line = stripCr(text, lineStart, lineEnd);
      if (isStart(line)) {
        long start = lineStart;
        if (previousLineStart >= 0
            && isHostLine(stripCr(text, previousLineStart, lineStart - 1))
            && (starts.isEmpty() || starts.getLast() < previousLineStart)) {
          start = previousLineStart;
        }
        starts.add(start);
      }
      previousLineStart = lineStart;
      lineStart = newline < 0 ? length : newline + 1;
    }
    long[] result = new long[starts.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = starts.get(i);
    }
    return result;
  }

  private static String stripCr(String text, int from, int to) {
    if (to > from && text.charAt(to - 1) == '\r') {
      to--;
    }
    return text.substring(from, to);
  }

  private static boolean startsWith(CharSequence line, String prefix) {
    if (line.length() < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (line.charAt(i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
